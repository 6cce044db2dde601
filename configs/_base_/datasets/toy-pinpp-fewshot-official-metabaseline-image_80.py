# The official MetaBaseline episodes for the full image alone
# (pinpp-fewshot-official-metabaseline-image_80.py) on the toy few-shot
# set's official files (see toy-pinpp-fewshot-official-metabaseline_80.py).
_base_ = './pinpp-fewshot-official-metabaseline-image_80.py'

data_root = 'data/toy_pinpp_fewshot/official/metabaseline'

train_dataloader = dict(
    num_workers=2,
    dataset=dict(data_root=data_root),
    batch_sampler=dict(num_episodes=40))
val_dataloader = dict(num_workers=2, dataset=dict(data_root=data_root))
test_dataloader = dict(num_workers=2, dataset=dict(data_root=data_root))
