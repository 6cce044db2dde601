# Stage 2, adversarial training: the schedule of imagenet_bs512_mpm_100e.py
# (SGD lr 0.2 for batch 512, AMP, 2 warm-up epochs, cosine, EMA 0.9998)
# over 80 epochs, with the PGD step ramped over the warm-up (the attack is
# the model's `adv_cfg`, see ../models/*-at.py) and PGD-10 (L-inf 4/255,
# step eps/4) accuracy of the EMA weights at validation and test (configs
# add RobustAccuracy and select checkpoints by it).
_base_ = './imagenet_bs512_mpm_100e.py'

param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.01,
        by_epoch=True,
        begin=0,
        end=2,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        by_epoch=True,
        begin=2,
        end=80,
        eta_min=0,
        convert_to_iter_based=True),
]
train_cfg = dict(max_epochs=80)
val_cfg = dict(type='AdversarialValLoop', attack='pgd10_linf')
test_cfg = dict(type='AdversarialTestLoop', attack='pgd10_linf')
custom_hooks = [
    dict(type='AdvStepRampHook', warmup_epochs=2),
    dict(type='EMAHook', momentum=0.0002, priority='ABOVE_NORMAL'),
]
