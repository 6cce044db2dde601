# The paper's few-shot classifier stage (MetaBaseline's): 100 epochs of a
# total batch of 128, SGD lr 0.1, momentum 0.9, weight decay 5e-4, x0.1 at
# epoch 90.
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4))
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[90], gamma=0.1)
]
train_cfg = dict(by_epoch=True, max_epochs=100)
auto_scale_lr = dict(base_batch_size=128)
