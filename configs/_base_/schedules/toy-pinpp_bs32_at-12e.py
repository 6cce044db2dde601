# The toy schedule of toy-pinpp_bs32_12e.py with the ImageNet stage-2
# adversarial recipe at toy scale: the PGD step ramped over the first epoch
# (the attack is the model's `adv_cfg`, see ../models/*-at_toy.py), EMA
# weights, PGD-10 (L-inf 4/255, step eps/4) accuracy of the EMA weights at
# validation, scored by RobustAccuracy, and the most robust checkpoint kept
# (tests stay clean). As in imagenet_bs512_mpm_stage2-at-80e.py the loop,
# its metrics and the checkpoint rule are one setting, so this base carries
# the runtime too: configs list it instead of ../default_runtime.py.
_base_ = ['./toy-pinpp_bs32_12e.py', '../default_runtime.py']

val_cfg = dict(type='AdversarialValLoop', attack='pgd10_linf')
val_evaluator = [
    dict(type='Accuracy', topk=(1, )),
    dict(type='RobustAccuracy'),
]
default_hooks = dict(checkpoint=dict(save_best='robust/top1', rule='greater'))
custom_hooks = [
    dict(type='AdvStepRampHook', warmup_epochs=1),
    # EMA 0.9998 per step at ImageNet scale; fewer steps here, so faster.
    dict(type='EMAHook', momentum=0.05, priority='ABOVE_NORMAL'),
]
