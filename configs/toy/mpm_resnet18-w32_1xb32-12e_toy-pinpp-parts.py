# MPM on the converted toy PIN++ set: the plain toy classifier
# (resnet18-w32_1xb32-12e_toy-pinpp-parts.py, same backbone, data and
# schedule) plus the multi-scale part bypass and the soft focal part loss.
# The toy classes come in pairs told apart by their parts, where part
# supervision helps.
_base_ = [
    '../_base_/models/mpm_resnet18-w32_toy.py',
    '../_base_/datasets/toy-pinpp-parts_bs32_96.py',
    '../_base_/schedules/toy-pinpp_bs32_12e.py',
    '../_base_/default_runtime.py',
]
# model settings: part maps are predicted only for the part mIoU of the
# test set.
model = dict(predict_parts=True)

# Test: the held-out annotated images (converter val split), with maps,
# for class accuracy and the bypass's part mIoU.
test_dataloader = dict(
    batch_size=32,
    num_workers=2,
    dataset=dict(
        type='PINPPClsDataset',
        data_root={{_base_.data_root}},
        ann_file='splits/val.txt',
        label_space='label_space.tsv',
        data_prefix=dict(img_path='img'),
        pipeline={{_base_.test_pipeline}}),
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'))
test_evaluator = [
    dict(type='Accuracy', topk=(1, 5)),
    dict(type='PartIoUMetric', iou_metrics=['mIoU']),
]

randomness = dict(seed=0)
