# The same plain classifier on the converted toy set through
# PINPPClsDataset and the joint image + part-map transforms (the maps are
# loaded and packed but not used: the reference for part-supervised models).
_base_ = [
    '../_base_/models/resnet18-w32_toy.py',
    '../_base_/datasets/toy_pinpp_cls_parts.py',
    '../_base_/schedules/toy_sgd_cosine.py',
    '../_base_/default_runtime.py',
]

randomness = dict(seed=0)
