# The few-shot pre-training data with the part maps, for part-supervised
# (MPM) pre-training: joint image + part-map crops and flips, PackPartInputs
# and PartClsDataPreprocessor.
_base_ = './pinpp-fewshot-base_bs128_84.py'

data_preprocessor = dict(type='PartClsDataPreprocessor')
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadPartMap'),
    dict(
        type='PartRandomResizedCrop',
        scale={{_base_.image_size}},
        crop_ratio_range=(0.6, 1.0)),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackPartInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
