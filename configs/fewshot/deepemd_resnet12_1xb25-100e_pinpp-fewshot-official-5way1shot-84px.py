# DeepEMD (FCN) as the official PIN++ code runs it: the meta stage
# (train_meta.py) of the official pre-training
# (resnet12_1xb128-120e_pinpp-fewshot-official-deepemd-base-84px.py) on
# 5-way 1-shot episodes with 4 queries, 100 epochs of 50, SGD lr 5e-4
# Nesterov, x0.5 every 10; kept by its accuracy on 100 val episodes; tested
# on 1000 seeded 1-shot and 5-shot episodes (the SFC for 5 shots). Its test
# alone scores any ResNet-12 (64-160-320-640) checkpoint.
_base_ = [
    '../_base_/models/deepemd_resnet12.py',
    '../_base_/datasets/pinpp-fewshot-official-deepemd_84.py',
    '../_base_/schedules/pinpp-fewshot-deepemd_meta-100e.py',
    '../_base_/default_runtime.py',
]

load_from = ('work_dirs/resnet12_1xb128-120e_pinpp-fewshot-official-deepemd-'
             'base-84px/epoch_120.pth')
default_hooks = dict(
    checkpoint=dict(save_best='fewshot/5way_1shot_accuracy', rule='greater'))
