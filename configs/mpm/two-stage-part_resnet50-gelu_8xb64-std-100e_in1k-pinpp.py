# Baseline: the two-stage part model. A ResNet-50-GELU part segmenter
# (one-scale bypass head, 7x7) whose softmaxed part map is all a small conv
# classifier sees; segmenter and classifier trained together.
_base_ = [
    '../_base_/models/resnet50-gelu.py',
    '../_base_/datasets/pinpp_imagenet_bs64_mpm_recipe.py',
    '../_base_/schedules/mpm_standard_100e.py',
    '../_base_/default_runtime.py',
]
model = dict(
    type='TwoStagePartClassifier',
    backbone=dict(out_indices=(3, ), init_cfg=dict(
        type='Pretrained', checkpoint='torchvision://resnet50')),
    neck=None,
    segmenter_head=dict(
        type='MultiScalePartBypass', in_channels=(2048, ),
        num_classes=3311, num_scales=1),
    num_part_classes=3311,
    part_map_size=7,
    hidden_channels=256,
    head=dict(in_channels=256),
    part_loss=dict(type='SoftFocalPartLoss', target_size=(28, 28)))
