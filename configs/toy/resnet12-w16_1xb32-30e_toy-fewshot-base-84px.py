# Few-shot pre-training on the toy few-shot set: a quarter-width ResNet-12
# classifier of the 20 base classes. Score its features on episodes of the
# novel classes with the test of the meta-stage config, META below being
# meta-baseline_resnet12-w16_1xb100-4e_toy-fewshot-5way5shot-84px.py:
#   python tools/test.py configs/toy/META CHECKPOINT
_base_ = [
    '../_base_/models/resnet12-w16_fewshot-toy.py',
    '../_base_/datasets/toy-pinpp-fewshot-base_bs32_84.py',
    '../_base_/schedules/toy-pinpp-fewshot_bs32_30e.py',
    '../_base_/default_runtime.py',
]

default_hooks = dict(checkpoint=dict(interval=10, save_best=None))
randomness = dict(seed=0)
