# Cascade Mask R-CNN R50-FPN with the official PIN++ recipe (the model of
# PIN++_configs/r50_fpn_cascade.py: three class-agnostic 4conv1fc box
# stages with SyncBN at IoU 0.5, 0.6 and 0.7 and box-delta scales
# (10, 5), (20, 10), (30, 15), L1 box loss, on the r50_fpn.py model; data
# and schedule as mask-rcnn_r50_fpn_8xb1-62.5k_pinpp-instances.py), on
# mmpart's COCO instance files (1000 objects, 3310 parts). The official
# files and protocol:
# cascade-mask-rcnn_r50_fpn_8xb1-62.5k_pinpp-lvis-instances.py.
_base_ = [
    '../_base_/models/cascade-mask-rcnn_r50_fpn_4conv1fc-syncbn.py',
    '../_base_/datasets/pinpp-instances_bs1_det_375x500.py',
    '../_base_/schedules/pinpp-instances_bs8_62.5k.py',
    '../_base_/det_runtime.py',
]

model = dict(
    roi_head=dict(
        bbox_head=[
            dict(
                type='Shared4Conv1FCBBoxHead',
                in_channels=256,
                conv_out_channels=256,
                fc_out_channels=1024,
                roi_feat_size=7,
                norm_cfg={{_base_.norm_cfg}},
                num_classes={{_base_.num_classes}},
                bbox_coder=dict(
                    type='DeltaXYWHBBoxCoder',
                    target_means=[0., 0., 0., 0.],
                    target_stds=stds),
                reg_class_agnostic=True,
                loss_cls=dict(
                    type='CrossEntropyLoss', use_sigmoid=False,
                    loss_weight=1.0),
                loss_bbox=dict(type='L1Loss', loss_weight=1.0))
            for stds in ([0.1, 0.1, 0.2, 0.2], [0.05, 0.05, 0.1, 0.1],
                         [0.033, 0.033, 0.067, 0.067])
        ],
        mask_head=dict(num_classes={{_base_.num_classes}})))
