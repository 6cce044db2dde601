# MetaBaseline's meta stage on the toy few-shot set: the pre-trained toy
# ResNet-12 (resnet12-w16_1xb32-30e_toy-fewshot-base-84px.py; another
# checkpoint with --cfg-options load_from=...) fine-tuned on 5-way 5-shot
# episodes of the base classes, kept by its 5-shot accuracy on the val
# classes, tested on episodes of the novel classes.
# The test alone scores any toy ResNet-12 checkpoint (a pre-trained
# classifier, MPM included: its backbone loads, its heads are left out):
#   python tools/test.py CONFIG CHECKPOINT
_base_ = [
    '../_base_/models/meta-baseline_resnet12-w16_fewshot-toy.py',
    '../_base_/datasets/toy-pinpp-fewshot-episodes_84.py',
    '../_base_/schedules/toy-pinpp-fewshot_meta-4e.py',
    '../_base_/default_runtime.py',
]

load_from = ('work_dirs/resnet12-w16_1xb32-30e_toy-fewshot-base-84px/'
             'epoch_30.pth')
default_hooks = dict(
    checkpoint=dict(save_best='fewshot/5way_5shot_accuracy', rule='greater'))
randomness = dict(seed=0)
