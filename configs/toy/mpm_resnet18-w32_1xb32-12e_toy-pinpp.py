# MPM on the converted toy PIN++ set: the plain toy classifier
# (resnet18-w32_1xb32-12e_toy-pinpp-parts.py, same backbone, data and
# schedule) plus the multi-scale part bypass and the soft focal part loss.
# 96 px inputs give stage outputs of 12, 6 and 3 px, so part targets are
# made at 12x12 (28x28 at 224 px in the ImageNet recipe). The toy classes
# come in pairs told apart by their parts, where part supervision helps.
_base_ = [
    '../_base_/models/resnet18-w32_toy.py',
    '../_base_/datasets/toy_pinpp_cls_parts.py',
    '../_base_/schedules/toy_sgd_cosine.py',
    '../_base_/default_runtime.py',
]
num_part_classes = 44  # background + the toy set's 43 parts

model = dict(
    _scope_='mmpart',
    type='MPMClassifier',
    backbone=dict(out_indices=(1, 2, 3)),
    bypass=dict(
        type='MultiScalePartBypass',
        in_channels=(64, 128, 256),
        num_classes=num_part_classes,
        num_scales=3,
        top_down=True),
    part_loss=dict(
        type='SoftFocalPartLoss',
        gamma=2.0,
        label_smoothing=0.1,
        target_size=(12, 12),
        # 1.0 in the ImageNet recipe (80-100 epochs); the toy run has 192
        # iterations and 190 annotated images, and with weight 1 the bypass
        # learns little beyond the bodies (toy part mIoU ~5 instead of ~17).
        loss_weight=5.0),
    # Part maps are predicted only for the part mIoU of the test set.
    predict_parts=True)
# Stacks the part maps into targets (merged with the dataset base's
# normalisation settings).
data_preprocessor = dict(type='PartClsDataPreprocessor')

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
