# Few-shot classifier pre-training on PIN++ (the paper's baseline): a
# ResNet-12 classifier of the 900 base classes at 84 px, from scratch.
# Score it on episodes of the novel classes with the test of
# meta-baseline_resnet12_1xb100-20e_pinpp-fewshot-5way5shot-84px.py
# (tools/test.py META_CONFIG CHECKPOINT), or meta-train it with that config.
_base_ = [
    '../_base_/models/resnet12_fewshot.py',
    '../_base_/datasets/pinpp-fewshot-base_bs128_84.py',
    '../_base_/schedules/pinpp-fewshot_bs128_100e.py',
    '../_base_/default_runtime.py',
]

default_hooks = dict(checkpoint=dict(interval=10, save_best=None))
