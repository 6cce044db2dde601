# The official PIN++ instance segmentation schedule (PIN++_configs/r50_fpn.py
# on detectron2's mask_rcnn_R_50_FPN_100ep_LSJ) for a total batch of 8:
# 62,500 iterations, SGD lr 0.03, momentum 0.9, weight decay 4e-5 and none
# on the norm layers, a 250-iteration linear warm-up from x0.067, x0.1
# steps at 50 % and 75 % (31,250 and 46,875), mixed precision (on a
# machine without a GPU tools/train.py falls back to fp32). Validation
# every 6,250 iterations (the official evaluates the test split once, at
# the end; the checkpoints follow: det_runtime.py).
max_iters = 62500
optim_wrapper = dict(
    type='AmpOptimWrapper',
    loss_scale='dynamic',
    optimizer=dict(type='SGD', lr=0.03, momentum=0.9, weight_decay=4e-5),
    paramwise_cfg=dict(norm_decay_mult=0.))
param_scheduler = [
    dict(
        type='LinearLR', start_factor=0.067, by_epoch=False, begin=0,
        end=250),
    dict(
        type='MultiStepLR',
        by_epoch=False,
        begin=0,
        end=max_iters,
        milestones=[max_iters // 2, max_iters * 3 // 4],
        gamma=0.1),
]
train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=max_iters, val_interval=6250)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
auto_scale_lr = dict(enable=False, base_batch_size=8)
