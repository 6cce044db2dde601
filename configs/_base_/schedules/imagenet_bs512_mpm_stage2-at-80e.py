# Stage 2, adversarial training (resnet50_*_at.yaml): the schedule of
# imagenet_bs512_mpm_100e.py over 80 epochs with min_lr 1e-2 (the official
# AT value), the PGD step ramped per epoch over the 2 warm-up epochs as the
# official code does (0, then half, then full; the attack is the model's
# `adv_cfg`, see ../models/*-at.py), and PGD-10 (L-inf 4/255, step eps/4,
# random start) accuracy of the EMA weights at validation and test, scored
# by RobustAccuracy, and the most robust checkpoint kept. The loops, their
# metrics and the checkpoint rule are one setting (an attack loop without
# RobustAccuracy pays for PGD-10 and scores nothing), so this base carries
# the runtime too: configs list it instead of ../default_runtime.py.
_base_ = ['./imagenet_bs512_mpm_100e.py', '../default_runtime.py']

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
val_evaluator = [
    dict(type='Accuracy', topk=(1, 5)),
    dict(type='RobustAccuracy'),
]
test_evaluator = val_evaluator
default_hooks = dict(checkpoint=dict(save_best='robust/top1', rule='greater'))
custom_hooks = [
    dict(type='AdvStepRampHook', warmup_epochs=2, by_epoch=True),
    dict(
        type='EMAHook',
        momentum=0.0002,
        update_buffers=True,
        priority='ABOVE_NORMAL'),
]
