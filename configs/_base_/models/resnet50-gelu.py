# The plain ResNet-50-GELU classifier (every ReLU replaced by GELU), label
# smoothing 0.1, from scratch (`init_cfg=None`, the official `_ori` recipes).
# The recipes that start from torchvision's IMAGENET1K_V2 ResNet-50
# (resnet50-11ad3fa6.pth, the download checked against that hash prefix) say
# so once for their family: resnet50-gelu-at.py (the plain and two-stage
# adversarial models) and the MPM stage-1 config; MPM stage 2 starts from
# the stage-1 checkpoint (`load_from`).
model = dict(
    _scope_='mmpart',
    type='AdvImageClassifier',
    backbone=dict(
        type='ResNetGELU',
        depth=50,
        num_stages=4,
        out_indices=(3, ),
        style='pytorch',
        init_cfg=None),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=1000,
        in_channels=2048,
        loss=dict(
            type='LabelSmoothLoss', label_smooth_val=0.1, mode='original'),
        topk=(1, 5)))
