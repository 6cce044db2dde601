# Part-supervised few-shot pre-training on PIN++: the ResNet-12 classifier of
# resnet12_1xb128-100e_pinpp-fewshot-base-84px.py with MPM's part bypass,
# trained on the base classes' part maps as well.
_base_ = [
    '../_base_/models/mpm_resnet12_fewshot.py',
    '../_base_/datasets/pinpp-fewshot-base-parts_bs128_84.py',
    '../_base_/schedules/pinpp-fewshot_bs128_100e.py',
    '../_base_/default_runtime.py',
]

default_hooks = dict(checkpoint=dict(interval=10, save_best=None))
