# The official DeepEMD episodes (pinpp-fewshot-official-deepemd_84.py) on
# the toy few-shot set's official files: 40 training episodes an epoch, 50
# val episodes, 40 test episodes each of 1 and 5 shots (a 5-shot episode
# fits the SFC: seconds each on 2 cores).
_base_ = './pinpp-fewshot-official-deepemd_84.py'

data_root = 'data/toy_pinpp_fewshot/official/deepemd'

train_dataloader = dict(
    num_workers=2,
    dataset=dict(data_root=data_root),
    batch_sampler=dict(num_episodes=40))
val_dataloader = dict(num_workers=2, dataset=dict(data_root=data_root))
val_evaluator = dict(num_episodes=50)
test_dataloader = dict(num_workers=2, dataset=dict(data_root=data_root))
test_evaluator = dict(num_episodes=40)
