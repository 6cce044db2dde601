# Cascade Mask R-CNN, ResNet-50-FPN, PIN++ instance segmentation of the 1000
# objects and 3310 parts, with the recipe of
# mask-rcnn_r50_fpn_8xb1-62.5k_pinpp-instances.py. The three cascade stages
# are mmdet's (their box-delta scales tighten stage by stage), each with the
# PIN++ classes.
_base_ = [
    'mmdet::_base_/models/cascade-mask-rcnn_r50_fpn.py',
    '../_base_/datasets/pinpp-instances_bs1_det_375x500.py',
    '../_base_/schedules/pinpp-instances_bs8_62.5k.py',
    '../_base_/det_runtime.py',
]

model = dict(
    type='mmdet.CascadeRCNN',
    roi_head=dict(
        bbox_head=[
            dict(
                type='Shared2FCBBoxHead',
                in_channels=256,
                fc_out_channels=1024,
                roi_feat_size=7,
                num_classes={{_base_.num_classes}},
                bbox_coder=dict(
                    type='DeltaXYWHBBoxCoder',
                    target_means=[0., 0., 0., 0.],
                    target_stds=stds),
                reg_class_agnostic=True,
                loss_cls=dict(
                    type='CrossEntropyLoss', use_sigmoid=False,
                    loss_weight=1.0),
                loss_bbox=dict(type='SmoothL1Loss', beta=1.0,
                               loss_weight=1.0))
            for stds in ([0.1, 0.1, 0.2, 0.2], [0.05, 0.05, 0.1, 0.1],
                         [0.033, 0.033, 0.067, 0.067])
        ],
        mask_head=dict(num_classes={{_base_.num_classes}})),
    test_cfg=dict(rcnn=dict(score_thr=0.0001, max_per_img=300)))
