# Baseline: plain ResNet-50-GELU, standard training, 100 epochs from scratch.
_base_ = [
    '../_base_/models/resnet50-gelu.py',
    '../_base_/datasets/imagenet_bs64_mpm_recipe.py',
    '../_base_/schedules/mpm_standard_100e.py',
    '../_base_/default_runtime.py',
]
model = dict(backbone=dict(init_cfg=None))
