# Mask R-CNN R50-FPN with the official PIN++ recipe (the model of
# PIN++_configs/r50_fpn.py: SyncBN everywhere, 2-conv RPN, 4conv1fc box
# head, 128 RoIs an image; its data settings and schedule: 62.5k iterations
# of 8 images, shortest side 375, repeat-factor sampling), initialised from
# torchvision's ImageNet ResNet-50, on 8 GPUs x 1 image, on mmpart's COCO
# instance files: the 1000 objects and the 3310 parts of the label space.
# Up to 300 detections an image at a low score threshold, as LVIS-style
# evaluation needs with thousands of classes. The official files and
# protocol: mask-rcnn_r50_fpn_8xb1-62.5k_pinpp-lvis-instances.py.
_base_ = [
    '../_base_/models/mask-rcnn_r50_fpn_4conv1fc-syncbn.py',
    '../_base_/datasets/pinpp-instances_bs1_det_375x500.py',
    '../_base_/schedules/pinpp-instances_bs8_62.5k.py',
    '../_base_/det_runtime.py',
]

model = dict(
    roi_head=dict(
        bbox_head=dict(num_classes={{_base_.num_classes}}),
        mask_head=dict(num_classes={{_base_.num_classes}})))
