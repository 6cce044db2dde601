# DeepEMD (its fully convolutional variant) as the official PIN++ code runs
# it: the 5 x 5 local features of a ResNet-12 (64-160-320-640) at 84 px,
# DeepEMDHead with the official settings (cross-reference node weights,
# 1 - cosine of centred features, temperature 12.5, the SFC for K shots;
# exact cv2.EMD flows at test, entropic Sinkhorn to train through), 5-way
# 1-shot episodes with 4 queries a class.
model = dict(
    type='DeepEMDClassifier',
    backbone=dict(
        type='ResNet12', channels=(64, 160, 320, 640), out_indices=(3, )),
    head=dict(type='DeepEMDHead'),
    num_ways=5,
    num_shots=1,
    num_queries=4)
# The episodic model scores a classifier's checkpoint by its backbone.*
# weights (its own, e.g. the temperature, are not in it), so tools/test.py
# loads a checkpoint that covers it in part (mmpart.utils.checkpoint_coverage).
allow_partial_checkpoint = True
