# The plain toy classifier of resnet18-w32_1xb32-12e_toy-pinpp-parts.py with
# the adversarial recipe (PGD-2 training at 4/255, step ramp, EMA, PGD-10
# checkpoint selection): the baseline for robust MPM
# (mpm_resnet18-w32_1xb32-at-12e_toy-pinpp-parts.py).
_base_ = [
    '../_base_/models/resnet18-w32-at_toy.py',
    '../_base_/datasets/toy-pinpp-parts_bs32_96.py',
    '../_base_/schedules/toy-pinpp_bs32_at-12e.py',
]
# A plain classifier: the maps are not stacked into targets.
data_preprocessor = dict(type='ClsDataPreprocessor')

randomness = dict(seed=0)
