# A small UPerNet part segmenter on the converted toy PIN++ set (44 classes),
# the CPU-sized twin of
# configs/part_seg/upernet_r50_8xb2-160k_pinpp-parts-512x512.py:
# PartEncoderDecoder with PixelSoftTargetLoss, a ResNet-18-V1c from scratch,
# 64-channel heads, 300 iterations of batch 16 (AdamW).
_base_ = [
    'mmseg::_base_/models/upernet_r50.py',
    '../_base_/datasets/toy-pinpp-parts_bs16_seg_96x96.py',
    '../_base_/seg_runtime.py',
    '../_base_/schedules/toy-pinpp_bs16_seg_300i.py',
]

# model settings
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(
    size=(96, 96), seg_pad_val={{_base_.part_ignore_index}})
model = dict(
    type='mmpart.PartEncoderDecoder',
    pretrained=None,
    data_preprocessor=data_preprocessor,
    backbone=dict(depth=18, norm_cfg=norm_cfg),
    decode_head=dict(
        in_channels=[64, 128, 256, 512],
        channels=64,
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
