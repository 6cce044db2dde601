# The few-shot episodes (pinpp-fewshot-episodes_84.py) on the toy few-shot
# set (see toy-pinpp-fewshot-base_bs32_84.py): 40 training episodes an
# epoch; val and test on its 6 val and 6 novel classes.
_base_ = './pinpp-fewshot-episodes_84.py'

data_root = 'data/toy_pinpp_fewshot/processed'
class_split = 'class_split.json'

_data = dict(data_root=data_root, class_split=class_split)
train_dataloader = dict(
    num_workers=2,
    dataset=_data,
    batch_sampler=dict(num_episodes=40))
val_dataloader = dict(num_workers=2, dataset=_data)
test_dataloader = dict(num_workers=2, dataset=_data)
