# DeepEMD (deepemd_resnet12.py) on the toy few-shot ResNet-12 (16, 32, 64,
# 128 channels): 5 x 5 local features of 128 channels at 84 px.
_base_ = './deepemd_resnet12.py'

model = dict(backbone=dict(channels=(16, 32, 64, 128)))
