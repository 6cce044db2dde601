# The official MetaBaseline episodes
# (pinpp-fewshot-official-metabaseline_80.py) on the toy few-shot set's
# official files, which tools/run_toy_fewshot.sh writes
# (tools/dataset_converters/pinpp_fewshot_official.py); 40 training
# episodes an epoch; val and test on its 6 val and 6 novel classes.
_base_ = './pinpp-fewshot-official-metabaseline_80.py'

data_root = 'data/toy_pinpp_fewshot/official/metabaseline'

train_dataloader = dict(
    num_workers=2,
    dataset=dict(data_root=data_root),
    batch_sampler=dict(num_episodes=40))
val_dataloader = dict(num_workers=2, dataset=dict(data_root=data_root))
test_dataloader = dict(num_workers=2, dataset=dict(data_root=data_root))
