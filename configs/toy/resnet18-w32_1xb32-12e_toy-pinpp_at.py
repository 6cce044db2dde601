# The plain toy classifier with the adversarial recipe of
# mpm_resnet18-w32_1xb32-12e_toy-pinpp_at.py: the baseline for robust MPM.
_base_ = './resnet18-w32_1xb32-12e_toy-pinpp-parts.py'

model = dict(
    _scope_='mmpart',
    type='AdvImageClassifier',
    adv_cfg=dict(eps=4 / 255, steps=2, random_start=True))

val_cfg = dict(
    _delete_=True,
    type='AdversarialValLoop',
    attack=dict(type='PGD', eps=4 / 255, alpha=1 / 255, steps=10,
                random_start=False))
val_evaluator = [dict(type='Accuracy', topk=(1, )),
                 dict(type='RobustAccuracy')]
custom_hooks = [
    dict(type='AdvStepRampHook', warmup_epochs=1),
    dict(type='EMAHook', momentum=0.05, priority='ABOVE_NORMAL'),
]
default_hooks = dict(checkpoint=dict(save_best='robust/top1', rule='greater'))
