# The Mask R-CNN R50-FPN of the official PIN++ instance benchmark
# (Benchmark/segmentation/configs/PIN++_configs/r50_fpn.py, on detectron2's
# new_baselines/mask_rcnn_R_50_FPN_100ep_LSJ model), in mmdet: SyncBN in the
# backbone (no frozen stage, BN trained) and the FPN, a 2-conv RPN head, a
# 4conv1fc box head and the 4-conv mask head with BN, 128 sampled RoIs an
# image, up to 300 detections an image. The heads take SyncBN too (the
# official NaiveSyncBatchNorm, as mmdet's MMSyncBN, only matters for a
# head without input, which cannot happen in training here: every image has
# a ground truth and the ground truths join the sampled RoIs). Leaves set
# `num_classes` of the heads from their dataset base.
# Initialised from torchvision's ImageNet ResNet-50 with torchvision's
# normalisation (the official config inherits the LSJ baseline's
# train-from-scratch setting unless `train.init_checkpoint` is given, and
# feeds RGB images against BGR means; see configs/instance_seg/README.md).
_base_ = 'mmdet::_base_/models/mask-rcnn_r50_fpn.py'

norm_cfg = dict(type='SyncBN', requires_grad=True)
model = dict(
    type='mmdet.MaskRCNN',
    backbone=dict(frozen_stages=-1, norm_cfg=norm_cfg, norm_eval=False),
    neck=dict(norm_cfg=norm_cfg),
    rpn_head=dict(num_convs=2),
    roi_head=dict(
        bbox_head=dict(
            type='Shared4Conv1FCBBoxHead',
            conv_out_channels=256,
            norm_cfg=norm_cfg),
        mask_head=dict(norm_cfg=norm_cfg)),
    train_cfg=dict(rcnn=dict(sampler=dict(num=128))),
    test_cfg=dict(rcnn=dict(score_thr=0.0001, max_per_img=300)))
