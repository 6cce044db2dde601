# mask-rcnn_r50_fpn_8xb1-62.5k_pinpp-instances.py on the official benchmark
# files and protocol: trained and tested on the LVIS-format Pin++_*.json
# (4308 classes: 3308 parts, 1000 objects), scored by federated LVIS AP
# with obj-AP and part-AP (PINPPLVISMetric), as PIN++_configs/r50_fpn.py.
_base_ = [
    '../_base_/models/mask-rcnn_r50_fpn_4conv1fc-syncbn.py',
    '../_base_/datasets/pinpp-lvis-instances_bs1_det_375x500.py',
    '../_base_/schedules/pinpp-instances_bs8_62.5k.py',
    '../_base_/det_runtime.py',
]

model = dict(
    roi_head=dict(
        bbox_head=dict(num_classes={{_base_.num_classes}}),
        mask_head=dict(num_classes={{_base_.num_classes}})))
