# A quarter-width few-shot ResNet-12 (16, 32, 64, 128 channels) for the 20
# base classes of the toy few-shot set.
_base_ = './resnet12_fewshot.py'

model = dict(
    backbone=dict(channels=(16, 32, 64, 128)),
    head=dict(num_classes=20, in_channels=128, topk=(1, )))
