# A toy Mask R-CNN that trains on the CPU in minutes: a ResNet-18-FPN at
# 64 channels from scratch (trainable BN; nothing to download) on the toy
# set's 10 objects and 43 parts, 300 iterations of 8 images at 128 px.
# Anchors start at 16 px (scale 4) for the small parts. RoIAlign (mmcv's,
# on the CPU) and the RoI heads dominate a step, so fewer RoIs than mmdet's
# (500 proposals kept before NMS, 64 sampled RoIs an image, 2 samples a
# bin) and a 2-conv mask head keep it near 0.7 s (1.35 s with mmdet's
# 4-conv head and 128 RoIs once the proposals are good).
# Scored as the PIN++ configs are: objects, parts and parts given the object.
_base_ = [
    'mmdet::_base_/models/mask-rcnn_r50_fpn.py',
    '../_base_/datasets/toy-pinpp-instances_bs8_det_128x128.py',
    '../_base_/schedules/toy-pinpp-instances_bs8_300i.py',
    '../_base_/det_runtime.py',
]

channels = 64
model = dict(
    type='mmdet.MaskRCNN',
    backbone=dict(
        depth=18,
        frozen_stages=-1,
        norm_cfg=dict(type='BN', requires_grad=True),
        norm_eval=False,
        init_cfg=None),
    neck=dict(in_channels=[64, 128, 256, 512], out_channels=channels),
    rpn_head=dict(
        in_channels=channels,
        feat_channels=channels,
        anchor_generator=dict(scales=[4])),
    roi_head=dict(
        bbox_roi_extractor=dict(
            roi_layer=dict(sampling_ratio=2), out_channels=channels),
        bbox_head=dict(
            in_channels=channels,
            fc_out_channels=256,
            num_classes={{_base_.num_classes}}),
        mask_roi_extractor=dict(
            roi_layer=dict(sampling_ratio=2), out_channels=channels),
        mask_head=dict(
            num_convs=2,
            in_channels=channels,
            conv_out_channels=channels,
            num_classes={{_base_.num_classes}})),
    train_cfg=dict(
        rpn_proposal=dict(nms_pre=500, max_per_img=300),
        rcnn=dict(sampler=dict(num=64))),
    test_cfg=dict(rcnn=dict(score_thr=0.0001, max_per_img=300)))
default_hooks = dict(
    logger=dict(interval=20), checkpoint=dict(interval=100))
