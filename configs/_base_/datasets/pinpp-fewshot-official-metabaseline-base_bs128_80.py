# The official MetaBaseline classifier stage's data (its
# train_classifier_pinpp.yaml): pinpp-fewshot-base_bs128_84.py on the
# train_phase_train pickle (PINPPMetaBaselineDataset split 'train'), 128 a
# batch, each sample the image and its object-box crop, each half with its
# own RandomResizedCrop to 80 px and horizontal flip (torchvision's
# defaults: scale 0.08-1, ratio 3/4-4/3; PIL bilinear), ImageNet's mean and
# std, a 1000-class head's labels (the official yaml's). No validation: the
# pre-trained encoder is scored by the episodes of the meta-stage config.
_base_ = './pinpp-fewshot-base_bs128_84.py'

dataset_type = 'PINPPMetaBaselineDataset'
data_root = 'data/pinpp_fewshot_official/metabaseline'
image_size = 80

data_preprocessor = dict(
    num_classes=1000,
    mean=[123.675, 116.28, 103.53] * 2,
    std=[58.395, 57.12, 57.375] * 2,
    to_rgb=False)
train_pipeline = [
    dict(
        type='StackObjectCrop',
        scale=image_size,
        backend='pillow',
        half_pipeline=[
            dict(
                type='RandomResizedCrop', scale=image_size,
                backend='pillow'),
            dict(type='RandomFlip', prob=0.5, direction='horizontal'),
        ]),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        split='train',
        pipeline=train_pipeline))
