# The paper's instance segmentation schedule for a total batch of 8:
# 62,500 iterations, SGD lr 0.03 with a 250-iteration linear warm-up and
# x0.1 steps at 50 % and 75 % (31,250 and 46,875); validation every 6,250
# iterations (the checkpoints follow: det_runtime.py). The weight decay is
# not stated in the official code: mmdet's 1e-4.
max_iters = 62500
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.03, momentum=0.9, weight_decay=1e-4))
param_scheduler = [
    dict(
        type='LinearLR', start_factor=0.001, by_epoch=False, begin=0,
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
