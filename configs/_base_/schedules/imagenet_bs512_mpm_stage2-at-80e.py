# Stage 2, adversarial training (resnet50_*_at.yaml): the schedule of
# imagenet_bs512_mpm_100e.py over 80 epochs with min_lr 1e-2 (the official
# AT value), the PGD step ramped per epoch over the 2 warm-up epochs as the
# official code does (0, then half, then full; the attack is the model's
# `adv_cfg`, see ../models/*-at.py), and PGD-10 (L-inf 4/255, step eps/4,
# random start) accuracy of the EMA weights at validation and test
# (configs add RobustAccuracy and select checkpoints by it).
_base_ = './imagenet_bs512_mpm_100e.py'

param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-3 / 0.2,
        by_epoch=True,
        begin=0,
        end=2,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingFromStartLR',
        T_max=80,
        eta_min=1e-2,
        by_epoch=True,
        begin=2,
        end=80,
        convert_to_iter_based=True),
]
train_cfg = dict(max_epochs=80)
val_cfg = dict(type='AdversarialValLoop', attack='pgd10_linf')
test_cfg = dict(type='AdversarialTestLoop', attack='pgd10_linf')
custom_hooks = [
    dict(type='AdvStepRampHook', warmup_epochs=2, by_epoch=True),
    dict(
        type='EMAHook',
        momentum=0.0002,
        update_buffers=True,
        priority='ABOVE_NORMAL'),
]
