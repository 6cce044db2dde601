# Baseline: the two-stage part model. A ResNet-50-GELU part segmenter
# (one-scale bypass head, 7x7) whose softmaxed part map is all a small conv
# classifier (PartMapConvNeck + linear head) sees; segmenter and classifier
# trained together.
_base_ = [
    '../_base_/models/resnet50-gelu.py',
    '../_base_/datasets/imagenet-pinpp_bs64_mpm_224.py',
    '../_base_/schedules/imagenet_bs512_mpm_100e.py',
    '../_base_/default_runtime.py',
]
num_part_classes = 3311
# model settings
model = dict(
    type='TwoStagePartClassifier',
    segmenter_head=dict(
        type='MultiScalePartBypass',
        in_channels=(2048, ),
        num_classes=num_part_classes,
        num_scales=1),
    part_map_size=7,
    neck=dict(
        _delete_=True,
        type='PartMapConvNeck',
        in_channels=num_part_classes,
        channels=256),
    head=dict(in_channels=256),
    part_loss=dict(type='SoftFocalPartLoss', target_size=(28, 28)))
