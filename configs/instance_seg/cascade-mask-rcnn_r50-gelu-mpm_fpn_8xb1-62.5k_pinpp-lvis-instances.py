# cascade-mask-rcnn_r50_fpn_8xb1-62.5k_pinpp-lvis-instances.py
# with MPM's backbone: the torchvision-style ResNet-50 with GELU (mmpart
# ResNetGELU), initialised from the backbone of an MPM checkpoint, with
# SyncBN trained in every stage as the ImageNet-initialised one. Make
# checkpoints/mpm_resnet50-gelu.pth first: configs/instance_seg/README.md
# says how.
_base_ = './cascade-mask-rcnn_r50_fpn_8xb1-62.5k_pinpp-lvis-instances.py'

model = dict(
    backbone=dict(
        _delete_=True,
        type='mmpart.ResNetGELU',
        depth=50,
        num_stages=4,
        out_indices=(0, 1, 2, 3),
        frozen_stages=-1,
        norm_cfg=dict(type='SyncBN', requires_grad=True),
        norm_eval=False,
        style='pytorch',
        init_cfg=dict(
            type='Pretrained',
            checkpoint='checkpoints/mpm_resnet50-gelu.pth',
            prefix='backbone.')))
