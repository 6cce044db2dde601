# MetaBaseline on the full image alone, under the official protocol: the
# meta stage and the test of
# meta-baseline-part-aware_resnet12_1xb100-20e_pinpp-fewshot-official-5way5shot-80px.py
# with a plain ResNet-12 (64-128-256-512) and no crop. Its test scores any
# ResNet-12 checkpoint of these widths (a classifier, MPM included: its
# backbone loads): tools/test.py CONFIG CHECKPOINT.
_base_ = [
    '../_base_/models/meta-baseline_resnet12_fewshot-official.py',
    '../_base_/datasets/pinpp-fewshot-official-metabaseline-image_80.py',
    '../_base_/schedules/pinpp-fewshot_meta-20e.py',
    '../_base_/default_runtime.py',
]

load_from = ('work_dirs/resnet12_1xb128-100e_pinpp-fewshot-official-base-'
             '80px/epoch_100.pth')
default_hooks = dict(
    checkpoint=dict(save_best='fewshot/5way_5shot_accuracy', rule='greater'))
