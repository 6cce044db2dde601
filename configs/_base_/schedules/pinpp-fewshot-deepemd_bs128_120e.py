# The official DeepEMD pre-training (train_pretrain.py): 120 epochs of 128
# images, SGD lr 0.04, Nesterov momentum 0.9, weight decay 5e-4, x0.2 every
# 30 epochs.
optim_wrapper = dict(
    optimizer=dict(
        type='SGD', lr=0.04, momentum=0.9, nesterov=True,
        weight_decay=5e-4))
param_scheduler = [
    dict(type='StepLR', by_epoch=True, step_size=30, gamma=0.2)
]
train_cfg = dict(by_epoch=True, max_epochs=120)
auto_scale_lr = dict(base_batch_size=128)
