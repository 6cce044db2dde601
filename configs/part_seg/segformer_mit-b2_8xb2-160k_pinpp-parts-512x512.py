# SegFormer, MiT-B2 (mmseg's ImageNet weights), PIN++ part segmentation (3311
# classes): mmseg's ADE20K recipe for SegFormer (160k iterations, AdamW lr
# 6e-5, head lr x10, 1500 warm-up iterations then linear decay, 512x512
# crops) on 8 GPUs x 2 images. PartEncoderDecoder computes the loss at the
# logits' resolution and predicts by a chunked argmax; PixelSoftTargetLoss is
# its loss.
_base_ = [
    'mmseg::_base_/models/segformer_mit-b0.py',
    '../_base_/datasets/pinpp-parts_bs2_seg_512x512.py',
    '../_base_/seg_runtime.py',
    '../_base_/schedules/pinpp_bs16_seg_160k.py',
]

# model settings
# As mmseg's segformer_mit-b2_8xb2-160k_ade20k-512x512.py.
checkpoint = 'https://download.openmmlab.com/mmsegmentation/v0.5/pretrain/segformer/mit_b2_20220624-66e8bf70.pth'  # noqa
data_preprocessor = dict(
    size={{_base_.crop_size}}, seg_pad_val={{_base_.part_ignore_index}})
model = dict(
    type='mmpart.PartEncoderDecoder',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        init_cfg=dict(type='Pretrained', checkpoint=checkpoint),
        embed_dims=64,
        num_layers=[3, 4, 6, 3]),
    decode_head=dict(
        in_channels=[64, 128, 320, 512],
        num_classes={{_base_.num_classes}},
        ignore_index={{_base_.part_ignore_index}},
        loss_decode=dict(
            _delete_=True, type='mmpart.PixelSoftTargetLoss',
            loss_weight=1.0)),
    test_cfg=dict(mode='whole', class_chunk=256))

# optimizer and schedule: mmseg's SegFormer recipe
optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    optimizer=dict(
        type='AdamW', lr=0.00006, betas=(0.9, 0.999), weight_decay=0.01),
    paramwise_cfg=dict(
        custom_keys={
            'pos_block': dict(decay_mult=0.),
            'norm': dict(decay_mult=0.),
            'head': dict(lr_mult=10.)
        }))
param_scheduler = [
    dict(
        type='LinearLR', start_factor=1e-6, by_epoch=False, begin=0, end=1500),
    dict(
        type='PolyLR',
        eta_min=0.0,
        power=1.0,
        begin=1500,
        end=160000,
        by_epoch=False)
]
