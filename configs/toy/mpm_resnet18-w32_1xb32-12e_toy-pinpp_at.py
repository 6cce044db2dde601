# Adversarially trained MPM on the toy set: the ImageNet stage-2 recipe at
# toy scale. L-inf PGD (eps 4/255, 2 steps of 2*eps/steps, random start) on
# the classification loss, step ramped over the first epoch, EMA weights,
# checkpoint selection by PGD-10 accuracy of the EMA weights.
_base_ = './mpm_resnet18-w32_1xb32-12e_toy-pinpp.py'

model = dict(adv_cfg=dict(eps=4 / 255, steps=2, random_start=True))

val_cfg = dict(
    _delete_=True,
    type='AdversarialValLoop',
    attack=dict(type='PGD', eps=4 / 255, alpha=1 / 255, steps=10,
                random_start=False))
val_evaluator = [dict(type='Accuracy', topk=(1, )),
                 dict(type='RobustAccuracy')]
custom_hooks = [
    dict(type='AdvStepRampHook', warmup_epochs=1),
    # EMA 0.9998 per step at ImageNet scale; fewer steps here, so faster.
    dict(type='EMAHook', momentum=0.05, priority='ABOVE_NORMAL'),
]
default_hooks = dict(checkpoint=dict(save_best='robust/top1', rule='greater'))
