# The toy schedule of toy-pinpp_bs32_12e.py with the ImageNet stage-2
# adversarial recipe at toy scale: the PGD step ramped over the first epoch
# (the attack is the model's `adv_cfg`, see ../models/*-at_toy.py), EMA
# weights, PGD-10 (L-inf 4/255, step eps/4) accuracy of the EMA weights at
# validation (configs add RobustAccuracy and select checkpoints by it).
_base_ = './toy-pinpp_bs32_12e.py'

val_cfg = dict(type='AdversarialValLoop', attack='pgd10_linf')
custom_hooks = [
    dict(type='AdvStepRampHook', warmup_epochs=1),
    # EMA 0.9998 per step at ImageNet scale; fewer steps here, so faster.
    dict(type='EMAHook', momentum=0.05, priority='ABOVE_NORMAL'),
]
