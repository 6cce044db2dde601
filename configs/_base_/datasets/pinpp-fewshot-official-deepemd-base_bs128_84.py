# The official DeepEMD pre-training data (its train_pretrain.py):
# pinpp-fewshot-base_bs128_84.py on the train csv of
# data/pinpp_fewshot_official/deepemd (split/train.csv and images/,
# PINPPDeepEMDDataset; the paper's own files, or those that
# tools/dataset_converters/pinpp_fewshot_official.py writes), 128 a batch,
# RandomResizedCrop to 84 px (torchvision's defaults, PIL bilinear) and
# horizontal flip, DeepEMD's mean and std. No validation (the official
# script validates by DeepEMD episodes; here the meta-stage config's test
# scores a pre-trained backbone).
_base_ = './pinpp-fewshot-base_bs128_84.py'

dataset_type = 'PINPPDeepEMDDataset'
data_root = 'data/pinpp_fewshot_official/deepemd'

data_preprocessor = dict(
    mean=[125.3, 123.0, 113.9], std=[63.0, 62.1, 66.7], to_rgb=True)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='RandomResizedCrop',
        scale={{_base_.image_size}},
        backend='pillow'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        split='train',
        pipeline=train_pipeline))
