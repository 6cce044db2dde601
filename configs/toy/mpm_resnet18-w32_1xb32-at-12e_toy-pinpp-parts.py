# Adversarially trained MPM on the toy set: the ImageNet stage-2 recipe at
# toy scale. L-inf PGD (eps 4/255, 2 steps of 2*eps/steps, random start) on
# the classification loss, step ramped over the first epoch, EMA weights,
# checkpoint selection by PGD-10 accuracy of the EMA weights. Tested on the
# val images (class accuracy; no part maps predicted).
_base_ = [
    '../_base_/models/mpm_resnet18-w32-at_toy.py',
    '../_base_/datasets/toy-pinpp-parts_bs32_96.py',
    '../_base_/schedules/toy-pinpp_bs32_at-12e.py',
]

randomness = dict(seed=0)
