# MetaBaseline's classifier stage on the full image alone, at the widths of
# the official PIN++ code (ResNet-12, 64-128-256-512) and its 1000-output
# linear layer: the official recipe without the crop encoder.
model = dict(
    type='ImageClassifier',
    backbone=dict(
        type='ResNet12', channels=(64, 128, 256, 512), out_indices=(3, )),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=1000,
        in_channels=512,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))
