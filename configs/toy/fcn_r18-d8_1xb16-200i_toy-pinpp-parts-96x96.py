# A small FCN part segmenter (mmseg) on the converted toy PIN++ set: shows
# the part-segmentation dataset, 16-bit maps and mmseg's IoU metric work
# through tools/train.py. 44 classes = background + the toy set's 43 parts.
_base_ = [
    'mmseg::_base_/models/fcn_r50-d8.py',
    '../_base_/datasets/toy-pinpp-parts_bs16_seg_96x96.py',
    '../_base_/default_runtime.py',
]
num_part_classes = 44
norm_cfg = dict(type='BN', requires_grad=True)
model = dict(
    pretrained=None,
    data_preprocessor=dict(
        size=(96, 96), seg_pad_val={{_base_.part_ignore_index}}),
    backbone=dict(depth=18, norm_cfg=norm_cfg),
    decode_head=dict(
        in_channels=512,
        channels=64,
        num_classes=num_part_classes,
        norm_cfg=norm_cfg,
        ignore_index={{_base_.part_ignore_index}}),
    auxiliary_head=None,
    test_cfg=dict(mode='whole'))

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.02, momentum=0.9, weight_decay=5e-4))
param_scheduler = [
    dict(
        type='PolyLR',
        eta_min=1e-4,
        power=0.9,
        begin=0,
        end=200,
        by_epoch=False)
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=200, val_interval=100)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    checkpoint=dict(by_epoch=False, interval=100, save_best=None),
    visualization=dict(_delete_=True, type='mmseg.SegVisualizationHook'))
log_processor = dict(by_epoch=False)
randomness = dict(seed=0)
