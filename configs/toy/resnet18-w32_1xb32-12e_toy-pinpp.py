# A plain mmpretrain classifier on the toy PIN++ images: a half-width
# ResNet-18 trained on the CPU in about a minute. It shows the whole pipeline
# (data, runner, checkpoint, evaluation) learns.
_base_ = [
    '../_base_/models/resnet18-w32_toy.py',
    '../_base_/datasets/toy-pinpp_bs32_96.py',
    '../_base_/schedules/toy-pinpp_bs32_12e.py',
    '../_base_/default_runtime.py',
]

randomness = dict(seed=0)
