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
# The episodic model scores a classifier's checkpoint by its backbone.*
# weights (its own, e.g. the temperature, are not in it), so tools/test.py
# loads a checkpoint that covers it in part (mmpart.utils.checkpoint_coverage).
allow_partial_checkpoint = True
