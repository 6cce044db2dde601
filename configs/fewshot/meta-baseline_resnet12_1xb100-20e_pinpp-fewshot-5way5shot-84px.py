# MetaBaseline's meta stage on PIN++: the pre-trained ResNet-12
# (resnet12_1xb128-100e_pinpp-fewshot-base-84px.py, or the MPM one with
# --cfg-options load_from=...) fine-tuned on 5-way 5-shot episodes of the base
# classes, kept by its 5-shot accuracy on the val classes, tested on 2000
# seeded 5-way 1-shot and 5-shot episodes of the novel classes. Its test
# alone scores any ResNet-12 checkpoint: tools/test.py CONFIG CHECKPOINT.
_base_ = [
    '../_base_/models/meta-baseline_resnet12.py',
    '../_base_/datasets/pinpp-fewshot-episodes_84.py',
    '../_base_/schedules/pinpp-fewshot_meta-20e.py',
    '../_base_/default_runtime.py',
]

load_from = ('work_dirs/resnet12_1xb128-100e_pinpp-fewshot-base-84px/'
             'epoch_100.pth')
default_hooks = dict(
    checkpoint=dict(save_best='fewshot/5way_5shot_accuracy', rule='greater'))
