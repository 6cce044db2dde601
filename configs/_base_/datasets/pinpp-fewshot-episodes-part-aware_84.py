# The few-shot episodes for part-aware models: each sample is its image and its
# object's box crop (from the part map), stacked as 6 channels
# (StackObjectCrop, which also converts to RGB; the preprocessor normalises
# both halves alike).
_base_ = './pinpp-fewshot-episodes_84.py'

data_preprocessor = dict(
    mean=[123.675, 116.28, 103.53] * 2,
    std=[58.395, 57.12, 57.375] * 2,
    to_rgb=False)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadPartMap'),
    dict(type='StackObjectCrop', scale={{_base_.image_size}}),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadPartMap'),
    dict(type='StackObjectCrop', scale={{_base_.image_size}}),
    dict(type='PackInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
