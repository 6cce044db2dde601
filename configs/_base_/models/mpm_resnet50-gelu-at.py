# MPM on ResNet-50-GELU (mpm_resnet50-gelu.py) trained adversarially: L-inf
# PGD on the classification loss, eps 4/255, 2 steps of 2*eps/steps from a
# random start, keeping the iterate of highest batch loss (`use_best`: the
# official adv_generator's default, one more forward per step) - the MPM
# paper's stage-2 recipe.
_base_ = './mpm_resnet50-gelu.py'

model = dict(
    adv_cfg=dict(eps=4 / 255, steps=2, random_start=True, use_best=True))
