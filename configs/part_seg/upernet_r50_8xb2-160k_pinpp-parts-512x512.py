# UPerNet, ResNet-50-V1c (mmseg's ImageNet weights), PIN++ part segmentation
# (3311 classes): mmseg's ADE20K recipe (160k iterations, SGD lr 0.01, poly,
# 512x512 crops, 16 images a step) on 8 GPUs x 2 images. PartEncoderDecoder
# computes the losses at the logits' resolution and predicts by a chunked
# argmax; PixelSoftTargetLoss is its loss.
_base_ = [
    'mmseg::_base_/models/upernet_r50.py',
    '../_base_/datasets/pinpp-parts_bs2_seg_512x512.py',
    '../_base_/seg_runtime.py',
    '../_base_/schedules/pinpp_bs16_seg_160k.py',
]

# model settings
data_preprocessor = dict(
    size={{_base_.crop_size}}, seg_pad_val={{_base_.part_ignore_index}})
model = dict(
    type='mmpart.PartEncoderDecoder',
    data_preprocessor=data_preprocessor,
    decode_head=dict(
        num_classes={{_base_.num_classes}},
        ignore_index={{_base_.part_ignore_index}},
        loss_decode=dict(
            _delete_=True, type='mmpart.PixelSoftTargetLoss',
            loss_weight=1.0)),
    auxiliary_head=dict(
        num_classes={{_base_.num_classes}},
        ignore_index={{_base_.part_ignore_index}},
        loss_decode=dict(
            _delete_=True, type='mmpart.PixelSoftTargetLoss',
            loss_weight=0.4)),
    test_cfg=dict(mode='whole', class_chunk=256))
