# The plain ResNet-50-GELU classifier (every ReLU replaced by GELU),
# initialised from torchvision's ImageNet weights, label smoothing 0.1.
# The official code starts from torchvision's IMAGENET1K_V2 ResNet-50
# (resnet50-11ad3fa6.pth); the download is checked against that hash prefix.
model = dict(
    _scope_='mmpart',
    type='AdvImageClassifier',
    backbone=dict(
        type='ResNetGELU',
        depth=50,
        num_stages=4,
        out_indices=(3, ),
        style='pytorch',
        init_cfg=dict(
            type='Pretrained',
            checkpoint='torchvision://resnet50.imagenet1k_v2')),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=1000,
        in_channels=2048,
        loss=dict(
            type='LabelSmoothLoss', label_smooth_val=0.1, mode='original'),
        topk=(1, 5)))
