# PIN++ instance segmentation (mmdet), 1 image per GPU, the official data
# settings (PIN++_configs/coco_lsj_loader.py and r50_fpn.py; no large-scale
# jitter despite the file's name): shortest side 375, longest at most 500
# (detectron2's ResizeShortestEdge is mmdet's keep-ratio Resize to
# 500x375) in training and testing, horizontal flip, images without
# instances left out of training (and no size filter), repeat-factor
# sampling at 0.001 (mmengine's ClassBalancedDataset, LVIS's rule).
# Made by the converter with --instances:
#   python tools/dataset_converters/pinpp.py RELEASE_DIR \
#       data/imagenet/train data/pinpp --object-masks --instances \
#       --link-images -j 8
# All 1000 objects then the 3310 parts of the label space: 4310 classes
# (`categories` picks objects, parts or both; `num_classes` must follow).
# PINPPInstanceMetric scores objects, parts and parts given the object
# separately, at up to 300 detections per image.
dataset_type = 'PINPPInstanceDataset'
data_root = 'data/pinpp'
categories = ('object', 'part')
num_classes = 4310
image_scale = (500, 375)

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='mmdet.LoadAnnotations', with_bbox=True, with_mask=True),
    dict(type='mmdet.Resize', scale=image_scale, keep_ratio=True),
    dict(type='mmdet.RandomFlip', prob=0.5),
    dict(type='mmdet.PackDetInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='mmdet.Resize', scale=image_scale, keep_ratio=True),
    dict(type='mmdet.LoadAnnotations', with_bbox=True, with_mask=True),
    dict(
        type='mmdet.PackDetInputs',
        meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape',
                   'scale_factor')),
]
train_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    batch_sampler=dict(type='mmdet.AspectRatioBatchSampler'),
    dataset=dict(
        type='ClassBalancedDataset',
        oversample_thr=1e-3,
        dataset=dict(
            type=dataset_type,
            data_root=data_root,
            categories=categories,
            ann_file='annotations/instances_train.json',
            filter_cfg=dict(filter_empty_gt=True),
            pipeline=train_pipeline)))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        categories=categories,
        ann_file='annotations/instances_val.json',
        test_mode=True,
        pipeline=test_pipeline))
val_evaluator = dict(
    type='PINPPInstanceMetric',
    ann_file=data_root + '/annotations/instances_val.json',
    metric=['bbox', 'segm'],
    max_dets=300)
# Test: the same on the test split.
test_dataloader = dict(
    val_dataloader,
    dataset=dict(
        val_dataloader['dataset'],
        ann_file='annotations/instances_test.json'))
test_evaluator = dict(
    val_evaluator, ann_file=data_root + '/annotations/instances_test.json')
