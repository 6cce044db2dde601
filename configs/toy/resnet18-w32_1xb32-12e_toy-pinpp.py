# A plain mmpretrain classifier on the toy PIN++ images: a half-width
# ResNet-18 trained on the CPU in about a minute. It shows the whole pipeline
# (data, runner, checkpoint, evaluation) learns.
_base_ = [
    'mmpretrain::_base_/models/resnet18.py',
    '../_base_/datasets/toy_pinpp_cls.py',
    '../_base_/schedules/toy_sgd_cosine.py',
    '../_base_/default_runtime.py',
]

model = dict(
    backbone=dict(stem_channels=32, base_channels=32),
    head=dict(num_classes=10, in_channels=256, topk=(1, 5)))

randomness = dict(seed=0)
