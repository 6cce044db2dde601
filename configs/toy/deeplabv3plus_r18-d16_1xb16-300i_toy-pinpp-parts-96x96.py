# A small DeepLabV3+ part segmenter on the converted toy PIN++ set (44
# classes), the CPU-sized twin of configs/part_seg/deeplabv3plus_r50-d8_*:
# PartEncoderDecoder with PixelSoftTargetLoss, a ResNet-18-V1c from scratch
# dilated in its last stage only (output stride 16: stride 8 took 4x as long
# on 2 CPU cores), 64-channel heads, 300 iterations of batch 16.
_base_ = [
    'mmseg::_base_/models/deeplabv3plus_r50-d8.py',
    '../_base_/datasets/toy-pinpp-parts_bs16_seg_96x96.py',
    '../_base_/seg_runtime.py',
    '../_base_/schedules/toy-pinpp_bs16_seg_300i.py',
]

norm_cfg = dict(type='BN', requires_grad=True)
model = dict(
    type='mmpart.PartEncoderDecoder',
    pretrained=None,
    data_preprocessor=dict(
        size=(96, 96), seg_pad_val={{_base_.part_ignore_index}}),
    backbone=dict(
        depth=18,
        strides=(1, 2, 2, 1),
        dilations=(1, 1, 1, 2),
        norm_cfg=norm_cfg),
    decode_head=dict(
        in_channels=512,
        channels=64,
        dilations=(1, 3, 6, 9),
        c1_in_channels=64,
        c1_channels=16,
        num_classes={{_base_.num_classes}},
        norm_cfg=norm_cfg,
        ignore_index={{_base_.part_ignore_index}},
        loss_decode=dict(
            _delete_=True, type='mmpart.PixelSoftTargetLoss',
            loss_weight=1.0)),
    auxiliary_head=dict(
        in_channels=256,
        channels=32,
        num_classes={{_base_.num_classes}},
        norm_cfg=norm_cfg,
        ignore_index={{_base_.part_ignore_index}},
        loss_decode=dict(
            _delete_=True, type='mmpart.PixelSoftTargetLoss',
            loss_weight=0.4)),
    test_cfg=dict(mode='whole', class_chunk=256))
randomness = dict(seed=0)
