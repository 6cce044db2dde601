# The Cascade Mask R-CNN R50-FPN of the official PIN++ instance benchmark
# (PIN++_configs/r50_fpn_cascade.py, on its r50_fpn.py), in mmdet, as
# mask-rcnn_r50_fpn_4conv1fc-syncbn.py: SyncBN in the backbone
# (no frozen stage) and the FPN, a 2-conv RPN head keeping 1000 proposals in
# training (the official RPN's, not mmdet's cascade 2000), the mask head
# with SyncBN, and in each of the three stages 128 sampled RoIs an image at
# IoU 0.5, 0.6 and 0.7. The three 4conv1fc box heads with SyncBN name the
# dataset's classes, so the leaves list them (mmengine replaces a list
# whole).
_base_ = 'mmdet::_base_/models/cascade-mask-rcnn_r50_fpn.py'

norm_cfg = dict(type='SyncBN', requires_grad=True)
model = dict(
    type='mmdet.CascadeRCNN',
    backbone=dict(frozen_stages=-1, norm_cfg=norm_cfg, norm_eval=False),
    neck=dict(norm_cfg=norm_cfg),
    rpn_head=dict(num_convs=2),
    roi_head=dict(mask_head=dict(norm_cfg=norm_cfg)),
    train_cfg=dict(
        rpn_proposal=dict(max_per_img=1000),
        rcnn=[
            dict(
                assigner=dict(
                    type='MaxIoUAssigner',
                    pos_iou_thr=iou,
                    neg_iou_thr=iou,
                    min_pos_iou=iou,
                    match_low_quality=False,
                    ignore_iof_thr=-1),
                sampler=dict(
                    type='RandomSampler',
                    num=128,
                    pos_fraction=0.25,
                    neg_pos_ub=-1,
                    add_gt_as_proposals=True),
                mask_size=28,
                pos_weight=-1,
                debug=False) for iou in (0.5, 0.6, 0.7)
        ]),
    test_cfg=dict(rcnn=dict(score_thr=0.0001, max_per_img=300)))
