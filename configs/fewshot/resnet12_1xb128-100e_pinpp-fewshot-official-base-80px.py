# The official MetaBaseline classifier stage on the full image alone: the
# recipe of part-aware-resnet12_1xb128-100e_pinpp-fewshot-official-base-80px.py
# with a plain ResNet-12 (64-128-256-512) and no crop. Its meta stage and
# the official test of any such backbone:
# meta-baseline_resnet12_1xb100-20e_pinpp-fewshot-official-5way5shot-80px.py
_base_ = [
    '../_base_/models/resnet12_fewshot-official.py',
    '../_base_/datasets/'
    'pinpp-fewshot-official-metabaseline-image-base_bs128_80.py',
    '../_base_/schedules/pinpp-fewshot_bs128_100e.py',
    '../_base_/default_runtime.py',
]

default_hooks = dict(checkpoint=dict(interval=10, save_best=None))
