# Toy DeepEMD pre-training: the official recipe
# (pinpp-fewshot-deepemd_bs128_120e.py) shortened to 30 epochs of batch 32,
# SGD lr 0.04 Nesterov, x0.2 every 8 epochs.
_base_ = './pinpp-fewshot-deepemd_bs128_120e.py'

param_scheduler = [
    dict(type='StepLR', by_epoch=True, step_size=8, gamma=0.2)
]
train_cfg = dict(max_epochs=30)
auto_scale_lr = dict(base_batch_size=32)
