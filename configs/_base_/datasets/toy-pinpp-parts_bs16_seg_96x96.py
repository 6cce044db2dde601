# Part segmentation on the converted toy PIN++ set:
#   python tools/misc/make_toy_pinpp.py data/toy_pinpp
#   python tools/dataset_converters/pinpp.py data/toy_pinpp/release \
#       data/toy_pinpp/train data/toy_pinpp/processed \
#       --part-counts data/toy_pinpp/meta/part_counts.tsv --object-masks \
#       --link-images
# 44 classes (background + the toy set's 43 parts). Maps hold 16-bit global
# part ids, so the ignore value is 65535, not 255. PackPartSegInputs packs
# each sample's object (object_label, part_id_range) for class-aware
# prediction; PartSegMetric reports class-agnostic and class-aware mIoU.
dataset_type = 'PINPPPartSegDataset'
data_root = 'data/toy_pinpp/processed'
num_classes = 44
part_ignore_index = 65535

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadPartMap'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackPartSegInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadPartMap'),
    dict(type='PackPartSegInputs'),
]
train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='splits/train.txt',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='splits/val.txt',
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(
    type='PartSegMetric',
    iou_metrics=['mIoU'],
    ignore_index=part_ignore_index)
test_evaluator = val_evaluator
