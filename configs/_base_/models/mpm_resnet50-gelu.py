# MPM on ResNet-50-GELU: the classifier of resnet50-gelu.py plus the
# training-only multi-scale part bypass (stages 2-4, 3311 part classes) and
# the soft focal part loss (targets at 28x28, gamma 2, smoothing 0.1).
_base_ = './resnet50-gelu.py'

model = dict(
    type='MPMClassifier',
    backbone=dict(out_indices=(1, 2, 3)),
    bypass=dict(
        type='MultiScalePartBypass',
        in_channels=(512, 1024, 2048),
        num_classes=3311,
        num_scales=3,
        top_down=True,
        compact_ratio=4),
    part_loss=dict(
        type='SoftFocalPartLoss',
        gamma=2.0,
        label_smoothing=0.1,
        target_size=(28, 28),
        loss_weight=1.0))
