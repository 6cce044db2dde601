# The official DeepEMD pre-training (train_pretrain.py) on the official csv
# splits: a ResNet-12 (64-160-320-640) classifier of the train classes at
# 84 px, 120 epochs of 128, SGD lr 0.04 Nesterov, x0.2 every 30. Its meta
# stage: deepemd_resnet12_1xb25-100e_pinpp-fewshot-official-5way1shot-84px.py
_base_ = [
    '../_base_/models/resnet12_fewshot.py',
    '../_base_/datasets/pinpp-fewshot-official-deepemd-base_bs128_84.py',
    '../_base_/schedules/pinpp-fewshot-deepemd_bs128_120e.py',
    '../_base_/default_runtime.py',
]

default_hooks = dict(checkpoint=dict(interval=10, save_best=None))
