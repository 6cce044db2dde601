# MPM stage 1, "align the heads" (resnet50_part_pp_init.yaml):
# ResNet-50-GELU from torchvision weights, backbone parameters frozen, bypass
# and classifier head trained for 1 epoch with standard training and
# RandomErasing 0.25. The backbone's BN layers keep training, as the
# official code's (it freezes parameters only, in model.train()): their
# statistics adapt from the ReLU weights to the GELU activations.
_base_ = [
    '../_base_/models/mpm_resnet50-gelu.py',
    '../_base_/datasets/imagenet-pinpp_bs64_mpm_224.py',
    '../_base_/schedules/imagenet_bs512_mpm_stage1-1e.py',
    '../_base_/default_runtime.py',
]
model = dict(
    backbone=dict(
        frozen_stages=4,
        frozen_norm_eval=False,
        # `_delete_`: replaces the model base's None (from scratch).
        init_cfg=dict(
            _delete_=True,
            type='Pretrained',
            checkpoint='torchvision://resnet50.imagenet1k_v2')))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadPartMap'),
    dict(
        type='PartRandomResizedCrop',
        scale=224,
        backend='pillow',
        interpolation='bicubic'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='ColorJitter', brightness=0.1, contrast=0.1, saturation=0.1),
    # Erasing changes pixels, not geometry: the part map stays valid.
    dict(type='RandomErasing', erase_prob=0.25, mode='rand'),
    dict(type='PackPartInputs'),
]
# Human part masks only; the *-pinpp-pseudo.py sibling adds pseudo masks.
train_dataloader = dict(
    dataset=dict(pipeline=train_pipeline, pseudo_maps=False))
