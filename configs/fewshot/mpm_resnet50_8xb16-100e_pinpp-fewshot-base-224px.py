# Part-supervised few-shot pre-training on PIN++ with ResNet-50: the classifier
# of resnet50_8xb16-100e_pinpp-fewshot-base-224px.py with MPM's part bypass
# over its last three stages (28, 14 and 7 px) on the base classes' part maps.
_base_ = [
    'mmpretrain::_base_/models/resnet50.py',
    '../_base_/datasets/pinpp-fewshot-base-parts_bs128_84.py',
    '../_base_/schedules/pinpp-fewshot_bs128_100e.py',
    '../_base_/default_runtime.py',
]

# mmpretrain's base model carries its scope; MPM is mmpart's.
model = dict(
    _scope_='mmpart',
    type='MPMClassifier',
    backbone=dict(out_indices=(1, 2, 3)),
    head=dict(num_classes=900),
    bypass=dict(
        type='MultiScalePartBypass',
        in_channels=(512, 1024, 2048),
        num_classes=3311,
        num_scales=3,
        top_down=True),
    part_loss=dict(
        type='SoftFocalPartLoss',
        gamma=2.0,
        label_smoothing=0.1,
        target_size=(28, 28),
        loss_weight=1.0))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadPartMap'),
    dict(type='PartRandomResizedCrop', scale=224),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackPartInputs'),
]
train_dataloader = dict(batch_size=16, dataset=dict(pipeline=train_pipeline))
default_hooks = dict(checkpoint=dict(interval=10, save_best=None))
