# Few-shot pre-training data: the annotated PIN++ images of the base side of
# the class split (PINPPFewShotDataset; the bundled seeded 900 / 50 / 50
# split of the 1000 classes), 84 px, 128 images a batch (the paper's
# classifier stage). No validation: a pre-trained classifier is scored by
# the episodes of a PrototypeClassifier config (tools/test.py).
dataset_type = 'PINPPFewShotDataset'
data_root = 'data/pinpp'
class_split = 'mmpart::pinpp_class_split_900-50-50_seed0.json'
image_size = 84
num_base_classes = 900

data_preprocessor = dict(
    num_classes=num_base_classes,
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    to_rgb=True)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='RandomResizedCrop',
        scale=image_size,
        crop_ratio_range=(0.6, 1.0)),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    batch_size=128,
    num_workers=8,
    persistent_workers=True,
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        class_split=class_split,
        side='base',
        pipeline=train_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'))
