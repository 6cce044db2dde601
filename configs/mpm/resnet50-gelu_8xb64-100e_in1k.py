# Baseline: plain ResNet-50-GELU, standard training, 100 epochs from scratch.
_base_ = [
    '../_base_/models/resnet50-gelu.py',
    '../_base_/datasets/imagenet_bs64_mpm_224.py',
    '../_base_/schedules/imagenet_bs512_mpm_100e.py',
    '../_base_/default_runtime.py',
]
