# ImageNet-1K with the MPM recipe's augmentation: RandomResizedCrop 224
# (bicubic), flip, ColorJitter 0.1; eval: resize 256 + center crop 224 on
# the 10k val subset. Batch 64 per GPU (8 GPUs: 512).
dataset_type = 'ImageNet'
data_root = 'data/imagenet'
data_preprocessor = dict(
    num_classes=1000,
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    to_rgb=True)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='RandomResizedCrop',
        scale=224,
        backend='pillow',
        interpolation='bicubic'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='ColorJitter', brightness=0.1, contrast=0.1, saturation=0.1),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='ResizeEdge',
        scale=256,
        edge='short',
        backend='pillow',
        interpolation='bicubic'),
    dict(type='CenterCrop', crop_size=224),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    batch_size=64,
    num_workers=8,
    persistent_workers=True,
    pin_memory=True,
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='meta/train.txt',
        data_prefix=dict(img_path='train'),
        pipeline=train_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'))
val_dataloader = dict(
    batch_size=64,
    num_workers=8,
    persistent_workers=True,
    pin_memory=True,
    dataset=dict(
        # mmpretrain's ImageNet reads the same lists but cannot reach the
        # ones bundled with mmpart.
        type='ImageNetListDataset',
        data_root=data_root,
        # The official 10 images per class (bundled with mmpart).
        ann_file='mmpart::imagenet_val_subset_10k.txt',
        data_prefix=dict(img_path='val'),
        pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'))
test_dataloader = val_dataloader
# The evaluators are the schedules' (../schedules/imagenet_bs512_mpm_*.py):
# they go with the val / test loops, which adversarial training changes.
