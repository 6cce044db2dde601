# cascade-mask-rcnn_r50_fpn_8xb1-62.5k_pinpp-instances.py on the official
# benchmark files and protocol: trained and tested on the LVIS-format
# Pin++_*.json (4308 classes: 3308 parts, 1000 objects), scored by
# federated LVIS AP with obj-AP and part-AP (PINPPLVISMetric), as
# PIN++_configs/r50_fpn_cascade.py.
_base_ = [
    '../_base_/models/cascade-mask-rcnn_r50_fpn_4conv1fc-syncbn.py',
    '../_base_/datasets/pinpp-lvis-instances_bs1_det_375x500.py',
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
