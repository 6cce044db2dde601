# The official part-aware few-shot classifier (MetaBaseline's classifier
# stage in the PIN++ code): PartAwareDualEncoder, p * f(image) + (1 - p) *
# g(crop) with f a ResNet-12 of widths 64-128-256-512 and g the official
# crop CNN (ConvMLPEncoder), p from 0, then a linear layer of 1000 outputs
# (the official yaml's n_classes; the base classes use the first ones).
model = dict(
    type='ImageClassifier',
    backbone=dict(type='PartAwareDualEncoder'),
    neck=None,
    head=dict(
        type='LinearClsHead',
        num_classes=1000,
        in_channels=512,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))
