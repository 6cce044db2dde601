# The official part-aware few-shot classifier (MetaBaseline's classifier
# stage in the PIN++ code): resnet12_fewshot-official.py with
# PartAwareDualEncoder, p * f(image) + (1 - p) * g(crop) with f the
# ResNet-12 of widths 64-128-256-512 and g the official crop CNN
# (ConvMLPEncoder), p from 0. Its feature is already a vector: no neck.
_base_ = './resnet12_fewshot-official.py'

model = dict(
    backbone=dict(_delete_=True, type='PartAwareDualEncoder'), neck=None)
