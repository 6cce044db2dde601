# ResNet-12 (64, 160, 320, 640 channels, MetaBaseline's) classifier of the
# 900 base classes of the PIN++ few-shot split, from scratch: ImageNet
# weights would have seen the novel classes.
model = dict(
    type='ImageClassifier',
    backbone=dict(
        type='ResNet12', channels=(64, 160, 320, 640), out_indices=(3, )),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=900,
        in_channels=640,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))
