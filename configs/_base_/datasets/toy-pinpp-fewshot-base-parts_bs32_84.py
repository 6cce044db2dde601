# The toy few-shot pre-training data with the part maps, for part-supervised
# (MPM) pre-training (see pinpp-fewshot-base-parts_bs128_84.py).
_base_ = './pinpp-fewshot-base-parts_bs128_84.py'

data_root = 'data/toy_pinpp_fewshot/processed'
class_split = 'class_split.json'

data_preprocessor = dict(num_classes=20)
train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    dataset=dict(data_root=data_root, class_split=class_split))
