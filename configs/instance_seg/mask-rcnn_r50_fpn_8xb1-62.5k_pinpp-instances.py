# Mask R-CNN, ResNet-50-FPN (torchvision ImageNet weights, mmdet's frozen-BN
# recipe), PIN++ instance segmentation of the 1000 objects and 3310 parts:
# the paper's schedule (62.5k iterations of 8 images, shortest side 375,
# repeat-factor sampling) on 8 GPUs x 1 image. Up to 300 detections an
# image at a low score threshold, as LVIS-style evaluation needs with
# thousands of classes.
_base_ = [
    'mmdet::_base_/models/mask-rcnn_r50_fpn.py',
    '../_base_/datasets/pinpp-instances_bs1_det_375x500.py',
    '../_base_/schedules/pinpp-instances_bs8_62.5k.py',
    '../_base_/det_runtime.py',
]

model = dict(
    type='mmdet.MaskRCNN',
    roi_head=dict(
        bbox_head=dict(num_classes={{_base_.num_classes}}),
        mask_head=dict(num_classes={{_base_.num_classes}})),
    test_cfg=dict(rcnn=dict(score_thr=0.0001, max_per_img=300)))
