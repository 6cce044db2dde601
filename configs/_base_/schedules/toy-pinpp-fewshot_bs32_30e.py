# Toy few-shot pre-training: 30 epochs of batch 32 (450 iterations), SGD lr
# 0.1 with one warm-up epoch and a x0.1 step at epoch 27 (the paper's 100
# epochs with a step at 90, shortened).
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.1,
        by_epoch=True,
        begin=0,
        end=1,
        convert_to_iter_based=True),
    dict(type='MultiStepLR', by_epoch=True, milestones=[27], gamma=0.1),
]
train_cfg = dict(by_epoch=True, max_epochs=30)
auto_scale_lr = dict(base_batch_size=32)
