# The official part-aware classifier stage (train_classifier_pinpp.yaml of
# the PIN++ code's MetaBaseline) on the official split files: the image and
# its object-box crop, each randomly resized-cropped to 80 px and flipped,
# through PartAwareDualEncoder (ResNet-12 64-128-256-512 for the image, the
# official crop CNN for the crop, p from 0) and a 1000-output linear layer;
# 100 epochs of 128, SGD lr 0.1, x0.1 at 90. Its meta stage:
# meta-baseline-part-aware_resnet12_1xb100-20e_pinpp-fewshot-official-5way5shot-80px.py
_base_ = [
    '../_base_/models/part-aware-resnet12_fewshot-official.py',
    '../_base_/datasets/pinpp-fewshot-official-metabaseline-base_bs128_80.py',
    '../_base_/schedules/pinpp-fewshot_bs128_100e.py',
    '../_base_/default_runtime.py',
]

default_hooks = dict(checkpoint=dict(interval=10, save_best=None))
