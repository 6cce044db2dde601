# MetaBaseline on the toy few-shot ResNet-12 (16, 32, 64, 128 channels).
_base_ = './meta-baseline_resnet12.py'

model = dict(backbone=dict(channels=(16, 32, 64, 128)))
