# The half-width toy ResNet-18 of resnet18-w32_toy.py trained adversarially:
# L-inf PGD on the classification loss, eps 4/255, 2 steps of 2*eps/steps
# from a random start (the ImageNet stage-2 recipe).
_base_ = './resnet18-w32_toy.py'

model = dict(
    _scope_='mmpart',
    type='AdvImageClassifier',
    adv_cfg=dict(eps=4 / 255, steps=2, random_start=True))
