# Standard (non-adversarial) training as the official timm recipe
# (resnet50_*_ori.yaml): 100 epochs, SGD lr 0.2 (batch 512), AMP; per
# iteration, a linear warm-up from 1e-3 over 2 epochs, then the cosine of
# the whole run (phase from iteration 0, timm's) down to min_lr 1e-3; EMA
# 0.9998 of weights and BN statistics (timm's ModelEmaV2), checkpoint
# selection by clean top-1 (the runtime's default).
optim_wrapper = dict(
    type='AmpOptimWrapper',
    loss_scale='dynamic',
    # timm's `sgd` is Nesterov SGD, and timm leaves the 1-d parameters (BN
    # weights, biases) out of weight decay.
    optimizer=dict(
        type='SGD', lr=0.2, momentum=0.9, weight_decay=1e-4, nesterov=True),
    paramwise_cfg=dict(flat_decay_mult=0.))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-3 / 0.2,
        by_epoch=True,
        begin=0,
        end=2,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingFromStartLR',
        T_max=100,
        eta_min=1e-3,
        by_epoch=True,
        begin=2,
        end=100,
        convert_to_iter_based=True),
]
train_cfg = dict(by_epoch=True, max_epochs=100, val_interval=1)
val_cfg = dict()
test_cfg = dict()
val_evaluator = dict(type='Accuracy', topk=(1, 5))
test_evaluator = val_evaluator
custom_hooks = [
    dict(
        type='EMAHook',
        momentum=0.0002,
        update_buffers=True,
        priority='ABOVE_NORMAL')
]
auto_scale_lr = dict(base_batch_size=512)
