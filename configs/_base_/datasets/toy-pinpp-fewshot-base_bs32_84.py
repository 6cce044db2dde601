# Few-shot pre-training data on the toy few-shot set: the annotated images of
# the base side of its class split, 84 px, 32 a batch. Made by
# tools/run_toy_fewshot.sh (32 toy classes, 24 annotated images each, split
# 20 / 6 / 6 into base / val / novel by tools/misc/make_class_split.py into
# the set's class_split.json): 480 images of 20 classes.
_base_ = './pinpp-fewshot-base_bs128_84.py'

data_root = 'data/toy_pinpp_fewshot/processed'
class_split = 'class_split.json'
num_base_classes = 20

data_preprocessor = dict(num_classes=num_base_classes)
train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    dataset=dict(data_root=data_root, class_split=class_split))
