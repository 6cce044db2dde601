# MPM on the half-width ResNet-18 of resnet18-w32_toy.py: the multi-scale
# part bypass (stages 2-4) and the soft focal part loss for the toy sets.
# 96 px inputs give stage outputs of 12, 6 and 3 px, so part targets are
# made at 12x12 (28x28 at 224 px in the ImageNet recipe).
_base_ = './resnet18-w32_toy.py'

num_part_classes = 44  # background + the toy set's 43 parts

model = dict(
    _scope_='mmpart',
    type='MPMClassifier',
    backbone=dict(out_indices=(1, 2, 3)),
    bypass=dict(
        type='MultiScalePartBypass',
        in_channels=(64, 128, 256),
        num_classes=num_part_classes,
        num_scales=3,
        top_down=True),
    part_loss=dict(
        type='SoftFocalPartLoss',
        gamma=2.0,
        label_smoothing=0.1,
        target_size=(12, 12),
        # 1.0 in the ImageNet recipe (80-100 epochs); the toy run has 192
        # iterations and 190 annotated images, and with weight 1 the bypass
        # learns little beyond the bodies (toy part mIoU ~5 instead of ~17).
        loss_weight=5.0))
