# DeepEMD as the official PIN++ code runs it
# (configs/fewshot/deepemd_resnet12_1xb25-100e_pinpp-fewshot-official-5way1shot-84px.py)
# on the toy few-shot set's official files, at a quarter width: 4 epochs of
# 40 5-way 1-shot episodes from
# resnet12-w16_1xb32-30e_toy-fewshot-official-deepemd-base-84px.py, tested
# on 40 seeded 1-shot and 5-shot episodes. Its test alone scores any toy
# ResNet-12 checkpoint (the toy plain and MPM pre-training included):
#   python tools/test.py CONFIG CHECKPOINT
_base_ = [
    '../_base_/models/deepemd_resnet12-w16_toy.py',
    '../_base_/datasets/toy-pinpp-fewshot-official-deepemd_84.py',
    '../_base_/schedules/toy-pinpp-fewshot-deepemd_meta-4e.py',
    '../_base_/default_runtime.py',
]

load_from = ('work_dirs/resnet12-w16_1xb32-30e_toy-fewshot-official-deepemd-'
             'base-84px/epoch_30.pth')
default_hooks = dict(
    checkpoint=dict(save_best='fewshot/5way_1shot_accuracy', rule='greater'))
randomness = dict(seed=0)
