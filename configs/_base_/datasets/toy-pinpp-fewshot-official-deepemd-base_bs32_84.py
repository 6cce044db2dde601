# The official DeepEMD pre-training data
# (pinpp-fewshot-official-deepemd-base_bs128_84.py) on the toy few-shot
# set's official files (its 20 train classes), 32 a batch.
_base_ = './pinpp-fewshot-official-deepemd-base_bs128_84.py'

data_root = 'data/toy_pinpp_fewshot/official/deepemd'
num_base_classes = 20

data_preprocessor = dict(num_classes=num_base_classes)
train_dataloader = dict(
    batch_size=32, num_workers=2, dataset=dict(data_root=data_root))
