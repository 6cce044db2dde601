# The official MetaBaseline data and episodes
# (pinpp-fewshot-official-metabaseline_80.py) for a model of the full
# image alone (a plain or MPM-pre-trained ResNet-12): each sample is its
# image at 80 x 80 (PIL bilinear), no crop.
_base_ = './pinpp-fewshot-official-metabaseline_80.py'

data_preprocessor = dict(
    _delete_=True,
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    to_rgb=True)
image_pipeline = [
    dict(
        type='Resize',
        scale=({{_base_.image_size}}, {{_base_.image_size}}),
        backend='pillow'),
    dict(type='PackInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=image_pipeline))
val_dataloader = dict(dataset=dict(pipeline=image_pipeline))
test_dataloader = dict(dataset=dict(pipeline=image_pipeline))
