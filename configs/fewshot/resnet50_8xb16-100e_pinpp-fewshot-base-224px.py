# Few-shot classifier pre-training on PIN++ with ResNet-50 (mmpretrain's, from
# scratch: ImageNet weights would have seen the novel classes) at 224 px,
# 8 GPUs x 16 images, the ResNet-12 recipe otherwise.
_base_ = [
    'mmpretrain::_base_/models/resnet50.py',
    '../_base_/datasets/pinpp-fewshot-base_bs128_84.py',
    '../_base_/schedules/pinpp-fewshot_bs128_100e.py',
    '../_base_/default_runtime.py',
]

model = dict(head=dict(num_classes=900))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=224),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
train_dataloader = dict(batch_size=16, dataset=dict(pipeline=train_pipeline))
default_hooks = dict(checkpoint=dict(interval=10, save_best=None))
