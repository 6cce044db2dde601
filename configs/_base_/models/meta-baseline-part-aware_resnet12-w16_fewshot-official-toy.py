# The official part-aware MetaBaseline
# (meta-baseline-part-aware_resnet12_fewshot-official.py) on the encoder of
# part-aware-resnet12-w16_fewshot-official-toy.py.
_base_ = './meta-baseline-part-aware_resnet12_fewshot-official.py'

model = dict(
    backbone=dict(
        image_encoder=dict(type='ResNet12', channels=(16, 32, 64, 128)),
        crop_encoder=dict(
            type='ConvMLPEncoder',
            channels=(16, 32),
            mlp_channels=(64, 64, 128))))
