# MetaBaseline under the official protocol on the toy few-shot set's
# official files, for the full image alone
# (configs/fewshot/meta-baseline_resnet12_1xb100-20e_pinpp-fewshot-official-5way5shot-80px.py):
# 80 px, no augmentation, the official test (8000 episodes from seed 0,
# t-interval). The toy ResNet-12's widths are a quarter of both protocols'
# (16, 32, 64, 128), so its test scores the toy plain and MPM pre-training
# of mmpart's protocol too:
#   python tools/test.py CONFIG CHECKPOINT
_base_ = [
    '../_base_/models/meta-baseline_resnet12-w16_fewshot-toy.py',
    '../_base_/datasets/toy-pinpp-fewshot-official-metabaseline-image_80.py',
    '../_base_/schedules/toy-pinpp-fewshot_meta-4e.py',
    '../_base_/default_runtime.py',
]

load_from = ('work_dirs/resnet12-w16_1xb32-30e_toy-fewshot-base-84px/'
             'epoch_30.pth')
default_hooks = dict(
    checkpoint=dict(save_best='fewshot/5way_5shot_accuracy', rule='greater'))
randomness = dict(seed=0)
