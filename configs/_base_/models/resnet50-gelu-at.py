# The ResNet-50-GELU classifier of resnet50-gelu.py trained adversarially:
# L-inf PGD on the classification loss, eps 4/255, 2 steps of 2*eps/steps
# from a random start, keeping the iterate of highest batch loss
# (`use_best`: the official adv_generator's default, one more forward per
# step) - the MPM paper's stage-2 recipe. From torchvision's IMAGENET1K_V2
# weights, as the official resnet50_sgd_at.yaml and the two-stage ablation
# (resnet50_part_pp_twostage_at.yaml) start.
_base_ = './resnet50-gelu.py'

model = dict(
    backbone=dict(
        # `_delete_`: replaces the model base's None (from scratch).
        init_cfg=dict(
            _delete_=True,
            type='Pretrained',
            checkpoint='torchvision://resnet50.imagenet1k_v2')),
    adv_cfg=dict(eps=4 / 255, steps=2, random_start=True, use_best=True))
