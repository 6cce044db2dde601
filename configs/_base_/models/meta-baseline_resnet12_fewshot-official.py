# MetaBaseline on the ResNet-12 of the official PIN++ code's widths
# (64-128-256-512).
_base_ = './meta-baseline_resnet12.py'

model = dict(backbone=dict(channels=(64, 128, 256, 512)))
