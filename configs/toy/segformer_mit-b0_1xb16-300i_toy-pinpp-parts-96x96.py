# A small SegFormer part segmenter on the converted toy PIN++ set (44
# classes), the CPU-sized twin of
# configs/part_seg/segformer_mit-b2_8xb2-160k_pinpp-parts-512x512.py:
# PartEncoderDecoder with PixelSoftTargetLoss, a MiT-B0 from scratch,
# 300 iterations of batch 16 (AdamW).
_base_ = [
    'mmseg::_base_/models/segformer_mit-b0.py',
    '../_base_/datasets/toy-pinpp-parts_bs16_seg_96x96.py',
    '../_base_/seg_runtime.py',
    '../_base_/schedules/toy-pinpp_bs16_seg_300i.py',
]

# model settings
data_preprocessor = dict(
    size=(96, 96), seg_pad_val={{_base_.part_ignore_index}})
model = dict(
    type='mmpart.PartEncoderDecoder',
    data_preprocessor=data_preprocessor,
    decode_head=dict(
        num_classes={{_base_.num_classes}},
        norm_cfg=dict(type='BN', requires_grad=True),
        ignore_index={{_base_.part_ignore_index}},
        loss_decode=dict(
            _delete_=True, type='mmpart.PixelSoftTargetLoss',
            loss_weight=1.0)),
    test_cfg=dict(mode='whole', class_chunk=256))
randomness = dict(seed=0)
