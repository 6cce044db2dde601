# The official MetaBaseline classifier stage's data
# (pinpp-fewshot-official-metabaseline-base_bs128_80.py) for a model of the
# full image alone: RandomResizedCrop to 80 px and horizontal flip of the
# image, no crop.
_base_ = './pinpp-fewshot-official-metabaseline-base_bs128_80.py'

data_preprocessor = dict(
    _delete_=True,
    num_classes=1000,
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    to_rgb=True)
train_pipeline = [
    dict(
        type='RandomResizedCrop',
        scale={{_base_.image_size}},
        backend='pillow'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
