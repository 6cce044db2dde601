# The official part-aware MetaBaseline
# (configs/fewshot/meta-baseline-part-aware_resnet12_1xb100-20e_pinpp-fewshot-official-5way5shot-80px.py)
# on the toy few-shot set's official files: 4 epochs of 40 episodes from
# part-aware-resnet12-w16_1xb32-30e_toy-fewshot-official-base-80px.py, the
# official test (8000 episodes, t-interval).
_base_ = [
    '../_base_/models/'
    'meta-baseline-part-aware_resnet12-w16_fewshot-official-toy.py',
    '../_base_/datasets/toy-pinpp-fewshot-official-metabaseline_80.py',
    '../_base_/schedules/toy-pinpp-fewshot_meta-4e.py',
    '../_base_/default_runtime.py',
]

load_from = ('work_dirs/part-aware-resnet12-w16_1xb32-30e_toy-fewshot-'
             'official-base-80px/epoch_30.pth')
default_hooks = dict(
    checkpoint=dict(save_best='fewshot/5way_5shot_accuracy', rule='greater'))
randomness = dict(seed=0)
