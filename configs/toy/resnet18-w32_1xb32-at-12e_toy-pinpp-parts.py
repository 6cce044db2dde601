# The plain toy classifier of resnet18-w32_1xb32-12e_toy-pinpp-parts.py with
# the adversarial recipe (PGD-2 training at 4/255, step ramp, EMA, PGD-10
# checkpoint selection): the baseline for robust MPM
# (mpm_resnet18-w32_1xb32-at-12e_toy-pinpp-parts.py).
_base_ = [
    '../_base_/models/resnet18-w32-at_toy.py',
    '../_base_/datasets/toy-pinpp-parts_bs32_96.py',
    '../_base_/schedules/toy-pinpp_bs32_at-12e.py',
    '../_base_/default_runtime.py',
]
# evaluation settings: clean and PGD-10 accuracy of the EMA weights; keep
# the most robust checkpoint.
val_evaluator = [
    dict(type='Accuracy', topk=(1, )),
    dict(type='RobustAccuracy')
]
default_hooks = dict(checkpoint=dict(save_best='robust/top1', rule='greater'))

randomness = dict(seed=0)
