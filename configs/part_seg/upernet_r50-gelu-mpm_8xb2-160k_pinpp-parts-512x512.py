# upernet_r50_8xb2-160k_pinpp-parts-512x512.py with MPM's backbone: the
# torchvision-style ResNet-50 with GELU (mmpart ResNetGELU), initialised from
# the backbone of an MPM checkpoint. Make checkpoints/mpm_resnet50-gelu.pth
# first: configs/part_seg/README.md says how.
_base_ = './upernet_r50_8xb2-160k_pinpp-parts-512x512.py'

model = dict(
    pretrained=None,
    backbone=dict(
        _delete_=True,
        type='mmpart.ResNetGELU',
        depth=50,
        num_stages=4,
        out_indices=(0, 1, 2, 3),
        style='pytorch',
        norm_cfg=dict(type='SyncBN', requires_grad=True),
        norm_eval=False,
        init_cfg=dict(
            type='Pretrained',
            checkpoint='checkpoints/mpm_resnet50-gelu.pth',
            prefix='backbone.')))
