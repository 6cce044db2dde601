# Baseline: plain ResNet-50-GELU, stage 1 (backbone frozen, head aligned
# for 1 epoch to the GELU activations), same recipe as MPM's stage 1.
_base_ = [
    '../_base_/models/resnet50-gelu.py',
    '../_base_/datasets/imagenet_bs64_mpm_224.py',
    '../_base_/schedules/imagenet_bs512_mpm_stage1-1e.py',
    '../_base_/default_runtime.py',
]
model = dict(backbone=dict(frozen_stages=4, norm_eval=True))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='RandomResizedCrop',
        scale=224,
        backend='pillow',
        interpolation='bicubic'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='ColorJitter', brightness=0.1, contrast=0.1, saturation=0.1),
    dict(type='RandomErasing', erase_prob=0.25, mode='rand'),
    dict(type='PackInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
