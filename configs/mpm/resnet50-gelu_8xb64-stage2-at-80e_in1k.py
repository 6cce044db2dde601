# Baseline: plain ResNet-50-GELU with MPM's stage-2 adversarial training,
# from torchvision's classifier as the official resnet50_sgd_at.yaml (the
# plain model has no stage 1): the backbone from the model base's init, the
# head from torchvision's `fc` (mmengine's `Pretrained` reads the `fc.`
# keys, and the override loads them into the head's `fc`).
_base_ = [
    '../_base_/models/resnet50-gelu-at.py',
    '../_base_/datasets/imagenet_bs64_mpm_224.py',
    '../_base_/schedules/imagenet_bs512_mpm_stage2-at-80e.py',
]
# model settings
model = dict(
    head=dict(
        init_cfg=dict(
            type='Pretrained',
            checkpoint='torchvision://resnet50.imagenet1k_v2',
            prefix='fc.',
            override=dict(name='fc'))))
