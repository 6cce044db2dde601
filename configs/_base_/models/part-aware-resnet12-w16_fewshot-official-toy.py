# The official part-aware classifier (part-aware-resnet12_fewshot-official.py)
# at a quarter of its widths for the toy few-shot set: ResNet-12 (16, 32,
# 64, 128) for the image, the crop CNN with 16 and 32 channels and a
# 64-64-128 MLP, 20 base classes.
_base_ = './part-aware-resnet12_fewshot-official.py'

model = dict(
    backbone=dict(
        image_encoder=dict(type='ResNet12', channels=(16, 32, 64, 128)),
        crop_encoder=dict(
            type='ConvMLPEncoder',
            channels=(16, 32),
            mlp_channels=(64, 64, 128))),
    head=dict(num_classes=20, in_channels=128, topk=(1, )))
