# Toy DeepEMD meta stage: the official recipe
# (pinpp-fewshot-deepemd_meta-100e.py) shortened to 4 epochs of 40 episodes,
# x0.5 every 2.
_base_ = './pinpp-fewshot-deepemd_meta-100e.py'

param_scheduler = [
    dict(type='StepLR', by_epoch=True, step_size=2, gamma=0.5)
]
train_cfg = dict(max_epochs=4)
