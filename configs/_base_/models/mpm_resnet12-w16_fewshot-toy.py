# The toy few-shot ResNet-12 with MPM's part bypass on the toy few-shot set's
# 147 part classes (background + 146 parts); weight 5 and targets at 10x10,
# as the other toy MPM (a short run on few images).
_base_ = './mpm_resnet12_fewshot.py'

model = dict(
    backbone=dict(channels=(16, 32, 64, 128)),
    head=dict(num_classes=20, in_channels=128, topk=(1, )),
    bypass=dict(in_channels=(32, 64, 128), num_classes=147),
    part_loss=dict(target_size=(10, 10), loss_weight=5.0))
