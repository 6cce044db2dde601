# MPM with standard (non-adversarial) training: 100 epochs from scratch.
_base_ = [
    '../_base_/models/mpm_resnet50-gelu.py',
    '../_base_/datasets/pinpp_imagenet_bs64_mpm_recipe.py',
    '../_base_/schedules/mpm_standard_100e.py',
    '../_base_/default_runtime.py',
]
model = dict(backbone=dict(init_cfg=None))
