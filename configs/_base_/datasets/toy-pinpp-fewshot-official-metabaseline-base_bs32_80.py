# The official part-aware classifier stage's data
# (pinpp-fewshot-official-metabaseline-base_bs32_80.py) on the toy few-shot
# set's official files, 32 a batch.
_base_ = './pinpp-fewshot-official-metabaseline-base_bs128_80.py'

data_root = 'data/toy_pinpp_fewshot/official/metabaseline'

train_dataloader = dict(
    batch_size=32, num_workers=2, dataset=dict(data_root=data_root))
