# The same plain classifier on the converted toy set through
# PINPPClsDataset and the joint image + part-map transforms (the maps are
# loaded and packed but not used: the reference for part-supervised models).
_base_ = [
    '../_base_/models/resnet18-w32_toy.py',
    '../_base_/datasets/toy-pinpp-parts_bs32_96.py',
    '../_base_/schedules/toy-pinpp_bs32_12e.py',
    '../_base_/default_runtime.py',
]

# A plain classifier: the maps are not stacked into targets.
data_preprocessor = dict(type='ClsDataPreprocessor')

randomness = dict(seed=0)
