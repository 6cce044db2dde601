# MetaBaseline's meta stage on PIN++ with the pre-trained ResNet-50
# (resnet50_8xb16-100e_pinpp-fewshot-base-224px.py or its MPM twin) at 224 px;
# its test alone scores a pre-trained ResNet-50 on the novel episodes.
_base_ = [
    '../_base_/models/meta-baseline_resnet12.py',
    '../_base_/datasets/pinpp-fewshot-episodes_84.py',
    '../_base_/schedules/pinpp-fewshot_meta-20e.py',
    '../_base_/default_runtime.py',
]

model = dict(
    backbone=dict(
        _delete_=True, type='ResNet', depth=50, out_indices=(3, )))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=224),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='ResizeEdge', scale=256, edge='short'),
    dict(type='CenterCrop', crop_size=224),
    dict(type='PackInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
load_from = ('work_dirs/resnet50_8xb16-100e_pinpp-fewshot-base-224px/'
             'epoch_100.pth')
default_hooks = dict(
    checkpoint=dict(save_best='fewshot/5way_5shot_accuracy', rule='greater'))
