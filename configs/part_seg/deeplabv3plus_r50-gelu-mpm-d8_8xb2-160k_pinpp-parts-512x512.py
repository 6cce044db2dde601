# deeplabv3plus_r50-d8_8xb2-160k_pinpp-parts-512x512.py with MPM's backbone:
# the torchvision-style ResNet-50 with GELU (mmpart ResNetGELU), its last two
# stages dilated (2, 4) instead of strided for output stride 8, initialised
# from the backbone of an MPM checkpoint. Make
# checkpoints/mpm_resnet50-gelu.pth first: configs/part_seg/README.md says
# how.
_base_ = './deeplabv3plus_r50-d8_8xb2-160k_pinpp-parts-512x512.py'

model = dict(
    pretrained=None,
    backbone=dict(
        _delete_=True,
        type='mmpart.ResNetGELU',
        depth=50,
        num_stages=4,
        out_indices=(0, 1, 2, 3),
        strides=(1, 2, 1, 1),
        dilations=(1, 1, 2, 4),
        style='pytorch',
        norm_cfg=dict(type='SyncBN', requires_grad=True),
        norm_eval=False,
        init_cfg=dict(
            type='Pretrained',
            checkpoint='checkpoints/mpm_resnet50-gelu.pth',
            prefix='backbone.')))
