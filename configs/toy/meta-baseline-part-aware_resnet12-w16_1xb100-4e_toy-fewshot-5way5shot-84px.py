# The part-aware MetaBaseline on the toy few-shot set: the meta stage of
# meta-baseline_resnet12-w16_1xb100-4e_toy-fewshot-5way5shot-84px.py on
# (image, object-box crop) pairs, features mixed as p * f(image) +
# (1 - p) * f(crop), p learnable from 0.
_base_ = [
    '../_base_/models/meta-baseline_resnet12-w16_fewshot-toy.py',
    '../_base_/datasets/toy-pinpp-fewshot-episodes-part-aware_84.py',
    '../_base_/schedules/toy-pinpp-fewshot_meta-4e.py',
    '../_base_/default_runtime.py',
]

model = dict(part_aware=True)
load_from = ('work_dirs/resnet12-w16_1xb32-30e_toy-fewshot-base-84px/'
             'epoch_30.pth')
default_hooks = dict(
    checkpoint=dict(save_best='fewshot/5way_5shot_accuracy', rule='greater'))
randomness = dict(seed=0)
