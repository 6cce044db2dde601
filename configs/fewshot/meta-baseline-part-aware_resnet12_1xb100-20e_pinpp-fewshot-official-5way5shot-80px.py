# The paper's part-aware MetaBaseline as the official code runs it: the meta
# stage (train_meta_pinpp.yaml) of the official classifier stage
# (part-aware-resnet12_1xb128-100e_pinpp-fewshot-official-base-80px.py) on
# the official split files, 5-way 5-shot episodes with 15 queries, 80 px,
# no augmentation, 20 epochs of 200 episodes, SGD lr 1e-3; kept by its
# 5-shot accuracy on 25 val episodes; tested as test_few_shot.py tests
# (8000 episodes from seed 0, the t-interval of batches of 4).
_base_ = [
    '../_base_/models/meta-baseline-part-aware_resnet12_fewshot-official.py',
    '../_base_/datasets/pinpp-fewshot-official-metabaseline_80.py',
    '../_base_/schedules/pinpp-fewshot_meta-20e.py',
    '../_base_/default_runtime.py',
]

load_from = ('work_dirs/part-aware-resnet12_1xb128-100e_pinpp-fewshot-'
             'official-base-80px/epoch_100.pth')
default_hooks = dict(
    checkpoint=dict(save_best='fewshot/5way_5shot_accuracy', rule='greater'))
