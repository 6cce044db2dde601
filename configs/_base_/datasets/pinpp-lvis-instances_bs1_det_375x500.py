# The official PIN++ instance benchmark files (LVIS format) with the data
# settings of pinpp-instances_bs1_det_375x500.py (the official ones: 375 /
# 500 resizing, flip, repeat-factor sampling at 0.001): trained on
# Pin++_train.json, validated on Pin++_val.json, tested on Pin++_test.json
# (as the official configs), scored by LVIS's federated AP with obj-AP and
# part-AP at up to 300 detections an image (PINPPLVISMetric, the official
# PACOEvaluator's protocol). 4308 classes: the files' 3308 parts and 1000
# objects, in id order. Put the official files (the paper's Google Drive
# annotations) in data/pinpp/annotations/, or write mmpart's from the
# release in the same format and place:
#   python tools/dataset_converters/pinpp.py RELEASE_DIR \
#       data/imagenet/train data/pinpp --object-masks --instances \
#       --instances-format lvis --link-images -j 8
# (1000 objects and the parts the release defines; `num_classes` must be
# the file's category count). Images are `file_name` under data/pinpp/img/
# (the ImageNet train folder). For the part-only or object-only variants,
# point the loaders and evaluators at Pin++Part_*.json or Pin++Object_*.json
# and set `num_classes` to their category counts.
_base_ = './pinpp-instances_bs1_det_375x500.py'

dataset_type = 'PINPPLVISDataset'
data_root = 'data/pinpp'
num_classes = 4308

train_dataloader = dict(
    dataset=dict(
        dataset=dict(
            _delete_=True,
            type=dataset_type,
            data_root=data_root,
            ann_file='annotations/Pin++_train.json',
            filter_cfg=dict(filter_empty_gt=True),
            pipeline={{_base_.train_pipeline}})))
val_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/Pin++_val.json',
        test_mode=True,
        pipeline={{_base_.test_pipeline}}))
test_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/Pin++_test.json',
        test_mode=True,
        pipeline={{_base_.test_pipeline}}))
val_evaluator = dict(
    _delete_=True,
    type='PINPPLVISMetric',
    ann_file=data_root + '/annotations/Pin++_val.json',
    metric=['bbox', 'segm'],
    max_dets=300)
test_evaluator = dict(
    _delete_=True,
    type='PINPPLVISMetric',
    ann_file=data_root + '/annotations/Pin++_test.json',
    metric=['bbox', 'segm'],
    max_dets=300)
