# Episodic few-shot data on PIN++ (PINPPFewShotDataset, the bundled 900 / 50 /
# 50 class split), 84 px. Train: MetaBaseline's meta stage, one 5-way 5-shot
# episode with 15 queries a batch (EpisodicBatchSampler), 200 episodes an
# epoch, from the base classes. Val and test: every annotated image of the
# val / novel classes through the frozen model, then EpisodicAccuracy draws
# 2000 seeded 5-way 1-shot and 5-shot episodes with 15 queries from their
# features (the same episodes for any model), mean accuracy with its 95 %
# interval.
dataset_type = 'PINPPFewShotDataset'
data_root = 'data/pinpp'
class_split = 'mmpart::pinpp_class_split_900-50-50_seed0.json'
image_size = 84
num_ways = 5
num_shots = 5
num_queries = 15

data_preprocessor = dict(
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    to_rgb=True)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='RandomResizedCrop',
        scale=image_size,
        crop_ratio_range=(0.6, 1.0)),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=image_size),
    dict(type='PackInputs'),
]
_dataset = dict(
    type=dataset_type, data_root=data_root, class_split=class_split)
train_dataloader = dict(
    batch_size=num_ways * (num_shots + num_queries),
    num_workers=8,
    persistent_workers=True,
    dataset=dict(_dataset, side='base', pipeline=train_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False),
    batch_sampler=dict(
        type='EpisodicBatchSampler',
        num_ways=num_ways,
        num_shots=num_shots,
        num_queries=num_queries,
        num_episodes=200),
    collate_fn=dict(type='default_collate'))
val_dataloader = dict(
    batch_size=64,
    num_workers=8,
    persistent_workers=True,
    dataset=dict(
        _dataset, side='val', test_mode=True, pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'))
val_evaluator = dict(
    type='EpisodicAccuracy',
    num_ways=num_ways,
    num_shots=(1, 5),
    num_queries=num_queries,
    num_episodes=2000,
    seed=0)
test_dataloader = dict(
    val_dataloader,
    dataset=dict(val_dataloader['dataset'], side='novel'))
test_evaluator = val_evaluator
