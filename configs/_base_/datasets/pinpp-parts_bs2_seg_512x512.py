# PIN++ part segmentation, 2 images per GPU, 512x512 crops: mmseg's ADE20K
# pipeline (RandomResize to 2048x512 at 0.5-2.0, RandomCrop 512 with at most
# 75 % of one class, flip, photometric distortion; test Resize 2048x512) on
# the converter's output in data/pinpp:
#   python tools/dataset_converters/pinpp.py RELEASE_DIR \
#       data/imagenet/train data/pinpp --object-masks --link-images -j 8
# 3311 classes (background + 3310 parts). Maps hold 16-bit ids, so their
# ignore value is 65535, not mmseg's 255: the crop's class check uses it, and
# segmenters set it in their heads and as their preprocessor's seg_pad_val.
dataset_type = 'PINPPPartSegDataset'
data_root = 'data/pinpp'
num_classes = 3311
part_ignore_index = 65535
crop_size = (512, 512)

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadPartMap'),
    dict(
        type='RandomResize',
        scale=(2048, 512),
        ratio_range=(0.5, 2.0),
        keep_ratio=True),
    dict(
        type='mmseg.RandomCrop',
        crop_size=crop_size,
        cat_max_ratio=0.75,
        ignore_index=part_ignore_index),
    dict(type='RandomFlip', prob=0.5),
    dict(type='mmseg.PhotoMetricDistortion'),
    dict(type='PackPartSegInputs'),
]
# The map is loaded after Resize: predictions and metrics are at the
# original size.
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(2048, 512), keep_ratio=True),
    dict(type='LoadPartMap'),
    dict(type='PackPartSegInputs'),
]
train_dataloader = dict(
    batch_size=2,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='splits/train.txt',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='splits/val.txt',
        pipeline=test_pipeline))
test_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='splits/test.txt',
        pipeline=test_pipeline))
val_evaluator = dict(
    type='PartSegMetric',
    iou_metrics=['mIoU'],
    ignore_index=part_ignore_index)
test_evaluator = val_evaluator
