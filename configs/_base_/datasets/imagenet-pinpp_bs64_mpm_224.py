# ImageNet-1K with PIN++ part maps (human for the annotated images, pseudo
# for the rest): data/pinpp is the converter's output (img -> ImageNet
# train, seg/, whether_pseudo/). The recipe of imagenet_bs64_mpm_224.py
# with the joint image + part-map transforms.
_base_ = './imagenet_bs64_mpm_224.py'

data_root = 'data/pinpp'
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadPartMap'),
    dict(
        type='PartRandomResizedCrop',
        scale=224,
        backend='pillow',
        interpolation='bicubic'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='ColorJitter', brightness=0.1, contrast=0.1, saturation=0.1),
    dict(type='PackPartInputs'),
]
train_dataloader = dict(
    dataset=dict(
        type='PINPPClsDataset',
        data_root=data_root,
        ann_file='../imagenet/meta/train.txt',
        label_space='label_space.tsv',
        data_prefix=dict(img_path='img'),
        pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        type='PINPPClsDataset',
        data_root=data_root,
        ann_file='mmpart::imagenet_val_subset_10k.txt',
        data_prefix=dict(img_path='../imagenet/val')))
test_dataloader = val_dataloader
data_preprocessor = dict(type='PartClsDataPreprocessor', pseudo_weight=1.0)
