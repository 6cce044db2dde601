# Classification with part maps on the converted toy PIN++ set (see
# toy-pinpp-parts_bs16_seg_96x96.py for the commands): toy-pinpp_bs32_96.py
# read through PINPPClsDataset with the joint image + part-map transforms.
# Train images without a map (the unannotated ones, until pseudo-labelled)
# get an all-background map marked part_map_valid=False. As at ImageNet
# scale (imagenet-pinpp_bs64_mpm_224.py), the dataset that yields part maps
# brings the preprocessor that stacks them into targets; plain classifiers
# read through it ask for `ClsDataPreprocessor` again.
_base_ = './toy-pinpp_bs32_96.py'

data_preprocessor = dict(type='PartClsDataPreprocessor')

dataset_type = 'PINPPClsDataset'
data_root = 'data/toy_pinpp/processed'

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
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadPartMap'),
    dict(type='PartResizeEdge', scale={{_base_.image_size}}, edge='short'),
    dict(type='CenterCrop', crop_size={{_base_.image_size}}),
    dict(type='PackPartInputs'),
]
_dataset = dict(
    _delete_=True,
    type=dataset_type,
    data_root=data_root,
    label_space='label_space.tsv')
train_dataloader = dict(
    dataset=dict(
        _dataset, ann_file='../meta/train.txt', pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        _dataset,
        ann_file='../meta/val.txt',
        data_prefix=dict(img_path='../val'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
