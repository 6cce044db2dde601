# MetaBaseline's classifier stage on the full image alone
# (resnet12_fewshot.py) at the widths of the official PIN++ code
# (ResNet-12, 64-128-256-512) and with its 1000-output linear layer: the
# official recipe without the crop encoder.
_base_ = './resnet12_fewshot.py'

model = dict(
    backbone=dict(channels=(64, 128, 256, 512)),
    head=dict(num_classes=1000, in_channels=512))
