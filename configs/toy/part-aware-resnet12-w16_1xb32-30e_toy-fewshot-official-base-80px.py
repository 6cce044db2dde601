# The official part-aware classifier stage
# (configs/fewshot/part-aware-resnet12_1xb128-100e_pinpp-fewshot-official-base-80px.py)
# on the toy few-shot set's official files, at a quarter width: 30 epochs of
# 32 (toy-pinpp-fewshot_bs32_30e.py). Its meta stage:
# meta-baseline-part-aware_resnet12-w16_1xb100-4e_toy-fewshot-official-5way5shot-80px.py
_base_ = [
    '../_base_/models/part-aware-resnet12-w16_fewshot-official-toy.py',
    '../_base_/datasets/'
    'toy-pinpp-fewshot-official-metabaseline-base_bs32_80.py',
    '../_base_/schedules/toy-pinpp-fewshot_bs32_30e.py',
    '../_base_/default_runtime.py',
]

default_hooks = dict(checkpoint=dict(interval=10, save_best=None))
randomness = dict(seed=0)
