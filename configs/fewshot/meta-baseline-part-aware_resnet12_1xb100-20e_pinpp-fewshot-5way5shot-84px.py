# The part-aware MetaBaseline on PIN++ (the paper's variant): the meta stage
# of meta-baseline_resnet12_1xb100-20e_pinpp-fewshot-5way5shot-84px.py on
# (image, object-box crop) pairs, the box from the part map, features mixed
# as p * f(image) + (1 - p) * f(crop) with p learnable from 0.
_base_ = [
    '../_base_/models/meta-baseline_resnet12.py',
    '../_base_/datasets/pinpp-fewshot-episodes-part-aware_84.py',
    '../_base_/schedules/pinpp-fewshot_meta-20e.py',
    '../_base_/default_runtime.py',
]

model = dict(part_aware=True)
load_from = ('work_dirs/resnet12_1xb128-100e_pinpp-fewshot-base-84px/'
             'epoch_100.pth')
default_hooks = dict(
    checkpoint=dict(save_best='fewshot/5way_5shot_accuracy', rule='greater'))
