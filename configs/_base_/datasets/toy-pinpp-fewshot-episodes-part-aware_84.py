# The part-aware few-shot episodes (pinpp-fewshot-episodes-part-aware_84.py)
# on the toy few-shot set, as toy-pinpp-fewshot-episodes_84.py.
_base_ = './pinpp-fewshot-episodes-part-aware_84.py'

data_root = 'data/toy_pinpp_fewshot/processed'
class_split = 'class_split.json'

_data = dict(data_root=data_root, class_split=class_split)
train_dataloader = dict(
    num_workers=2,
    dataset=_data,
    batch_sampler=dict(num_episodes=40))
val_dataloader = dict(num_workers=2, dataset=_data)
test_dataloader = dict(num_workers=2, dataset=_data)
