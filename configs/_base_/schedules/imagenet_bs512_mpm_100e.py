# Standard (non-adversarial) training: 100 epochs cosine with 2 warm-up
# epochs, SGD lr 0.2 (batch 512), AMP, EMA 0.9998 (checkpoint selection by
# clean top-1, the runtime's default).
optim_wrapper = dict(
    type='AmpOptimWrapper',
    loss_scale='dynamic',
    optimizer=dict(type='SGD', lr=0.2, momentum=0.9, weight_decay=1e-4))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.01,
        by_epoch=True,
        begin=0,
        end=2,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        by_epoch=True,
        begin=2,
        end=100,
        eta_min=0,
        convert_to_iter_based=True),
]
train_cfg = dict(by_epoch=True, max_epochs=100, val_interval=1)
val_cfg = dict()
test_cfg = dict()
custom_hooks = [dict(type='EMAHook', momentum=0.0002, priority='ABOVE_NORMAL')]
auto_scale_lr = dict(base_batch_size=512)
