# MPM with standard (non-adversarial) training: 100 epochs from scratch.
_base_ = [
    '../_base_/models/mpm_resnet50-gelu.py',
    '../_base_/datasets/imagenet-pinpp_bs64_mpm_224.py',
    '../_base_/schedules/imagenet_bs512_mpm_100e.py',
    '../_base_/default_runtime.py',
]
