# The few-shot ResNet-12 with MPM's part bypass over its last three stages
# (21, 10 and 5 px at 84 px) and the soft focal part loss on the 3311 part
# classes, for part-supervised pre-training on the base classes' part maps.
_base_ = './resnet12_fewshot.py'

model = dict(
    type='MPMClassifier',
    backbone=dict(out_indices=(1, 2, 3)),
    bypass=dict(
        type='MultiScalePartBypass',
        in_channels=(160, 320, 640),
        num_classes=3311,
        num_scales=3,
        top_down=True,
        compact_ratio=4),
    part_loss=dict(
        type='SoftFocalPartLoss',
        gamma=2.0,
        label_smoothing=0.1,
        target_size=(21, 21),
        loss_weight=1.0))
