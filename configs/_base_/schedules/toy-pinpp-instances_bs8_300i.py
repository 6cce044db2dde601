# A short CPU schedule for the toy instance segmenters: 300 iterations of
# batch 8 (15 epochs of the toy train split), SGD lr 0.02 with a
# 50-iteration warm-up and x0.1 steps at 75 % and 90 %; validation every
# 100 iterations (the leaf sets the checkpoint interval: det_runtime.py).
max_iters = 300
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.02, momentum=0.9, weight_decay=1e-4),
    clip_grad=dict(max_norm=10.0))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=50),
    dict(
        type='MultiStepLR',
        by_epoch=False,
        begin=0,
        end=max_iters,
        milestones=[225, 270],
        gamma=0.1),
]
train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=max_iters, val_interval=100)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
auto_scale_lr = dict(enable=False, base_batch_size=8)
