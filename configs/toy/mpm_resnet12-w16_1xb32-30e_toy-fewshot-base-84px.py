# Part-supervised few-shot pre-training on the toy few-shot set: the
# classifier of resnet12-w16_1xb32-30e_toy-fewshot-base-84px.py with MPM's
# part bypass, trained on the base classes' part maps as well. Score it as
# that config says.
_base_ = [
    '../_base_/models/mpm_resnet12-w16_fewshot-toy.py',
    '../_base_/datasets/toy-pinpp-fewshot-base-parts_bs32_84.py',
    '../_base_/schedules/toy-pinpp-fewshot_bs32_30e.py',
    '../_base_/default_runtime.py',
]

default_hooks = dict(checkpoint=dict(interval=10, save_best=None))
randomness = dict(seed=0)
