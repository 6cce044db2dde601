# A half-width ResNet-18 classifier (mmpretrain) for the 10-class toy sets.
_base_ = 'mmpretrain::_base_/models/resnet18.py'

model = dict(
    backbone=dict(stem_channels=32, base_channels=32),
    head=dict(num_classes=10, in_channels=256, topk=(1, 5)))
