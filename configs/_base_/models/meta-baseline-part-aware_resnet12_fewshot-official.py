# The official part-aware MetaBaseline: cosine prototypes of the
# PartAwareDualEncoder's feature (no neck: it is already a vector) with a
# learnable temperature (10 at start), 5-way 5-shot episodes with 15
# queries. The classifier stage's backbone.* (p included) loads into it.
model = dict(
    type='PrototypeClassifier',
    backbone=dict(type='PartAwareDualEncoder'),
    neck=None,
    num_ways=5,
    num_shots=5,
    num_queries=15,
    temperature=10.0)
# The episodic model scores a classifier's checkpoint by its backbone.*
# weights (its own, e.g. the temperature, are not in it), so tools/test.py
# loads a checkpoint that covers it in part (mmpart.utils.checkpoint_coverage).
allow_partial_checkpoint = True
