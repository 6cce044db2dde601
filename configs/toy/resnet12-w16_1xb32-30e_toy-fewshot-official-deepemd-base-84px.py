# The official DeepEMD pre-training
# (configs/fewshot/resnet12_1xb128-120e_pinpp-fewshot-official-deepemd-base-84px.py)
# on the toy few-shot set's official files, at a quarter width: 30 epochs of
# 32, SGD lr 0.04 Nesterov, x0.2 every 8. Its meta stage:
# deepemd_resnet12-w16_1xb25-4e_toy-fewshot-official-5way1shot-84px.py
_base_ = [
    '../_base_/models/resnet12-w16_fewshot-toy.py',
    '../_base_/datasets/toy-pinpp-fewshot-official-deepemd-base_bs32_84.py',
    '../_base_/schedules/toy-pinpp-fewshot-deepemd_bs32_30e.py',
    '../_base_/default_runtime.py',
]

default_hooks = dict(checkpoint=dict(interval=10, save_best=None))
randomness = dict(seed=0)
