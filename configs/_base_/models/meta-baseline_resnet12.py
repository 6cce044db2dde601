# MetaBaseline on the few-shot ResNet-12: cosine prototypes of the pooled
# features with a learnable temperature (10 at start), trained on 5-way
# 5-shot episodes with 15 queries.
model = dict(
    type='PrototypeClassifier',
    backbone=dict(
        type='ResNet12', channels=(64, 160, 320, 640), out_indices=(3, )),
    neck=dict(type='GlobalAveragePooling'),
    num_ways=5,
    num_shots=5,
    num_queries=15,
    temperature=10.0)
