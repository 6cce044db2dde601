# Instance segmentation on the converted toy PIN++ set (mmdet):
#   python tools/misc/make_toy_pinpp.py data/toy_pinpp
#   python tools/dataset_converters/pinpp.py data/toy_pinpp/release \
#       data/toy_pinpp/train data/toy_pinpp/processed \
#       --part-counts data/toy_pinpp/meta/part_counts.tsv --object-masks \
#       --instances --link-images
# 53 classes: the toy set's 10 objects, then its 43 parts. The 96 px images
# are upscaled to 128 px, so the smallest parts (eyes, spots) span a few
# cells of the finest feature map. Validation and test are the
# converter's val and test splits.
_base_ = './pinpp-instances_bs1_det_375x500.py'

data_root = 'data/toy_pinpp/processed'
num_classes = 53
image_scale = (128, 128)

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
    batch_size=8,
    dataset=dict(
        dataset=dict(
            data_root=data_root,
            filter_cfg=dict(min_size=0),
            pipeline=train_pipeline)))
val_dataloader = dict(
    batch_size=8,
    dataset=dict(data_root=data_root, pipeline=test_pipeline))
test_dataloader = dict(
    batch_size=8,
    dataset=dict(data_root=data_root, pipeline=test_pipeline))
val_evaluator = dict(ann_file=data_root + '/annotations/instances_val.json')
test_evaluator = dict(
    ann_file=data_root + '/annotations/instances_test.json')
