# Baseline: the two-stage part model. A ResNet-50-GELU part segmenter
# (one-scale bypass head, 7x7) whose softmaxed part map is all a small conv
# classifier (PartMapConvNeck + linear head) sees; segmenter and classifier
# trained together. The recipe of the official ablation
# (resnet50_part_pp_twostage_at.yaml): MPM's stage-2 adversarial training
# (80 epochs, PGD-2 with use_best, EMA, best checkpoint by PGD-10) from
# torchvision's weights, with no stage 1.
_base_ = [
    '../_base_/models/resnet50-gelu-at.py',
    '../_base_/datasets/imagenet-pinpp_bs64_mpm_224.py',
    '../_base_/schedules/imagenet_bs512_mpm_stage2-at-80e.py',
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
