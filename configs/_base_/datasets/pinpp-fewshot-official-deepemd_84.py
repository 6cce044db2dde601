# The official DeepEMD episodes (its train_meta.py, fcn loader): the csv
# splits of data/pinpp_fewshot_official/deepemd (PINPPDeepEMDDataset),
# DeepEMD's mean and std. Train: one 5-way 1-shot episode with 4 queries a
# class a batch, 50 episodes an epoch, augmented as its loader augments the
# train split (RandomResizedCrop to 84 px, PIL bilinear, and flip). Val and
# test images: resize to 92 x 92, center-crop 84. Val: 100 seeded 1-shot
# episodes of the val classes. Test: seeded 5-way 1-shot and 5-shot episodes
# of the test classes with 4 queries, mean accuracy and 1.96 * std /
# sqrt(n), as the official test reports; 1000 episodes where the official
# script tests 25 (its -test_episode), since 25 leave an interval of several
# points. The official sampler (mmpart's 'metabaseline' draw) is not used:
# the official DeepEMD script draws unseeded, so its episodes cannot be
# repeated anyway.
dataset_type = 'PINPPDeepEMDDataset'
data_root = 'data/pinpp_fewshot_official/deepemd'
image_size = 84
num_ways = 5
num_shots = 1
num_queries = 4

data_preprocessor = dict(
    mean=[125.3, 123.0, 113.9], std=[63.0, 62.1, 66.7], to_rgb=True)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=image_size, backend='pillow'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(92, 92), backend='pillow'),
    dict(type='CenterCrop', crop_size=image_size),
    dict(type='PackInputs'),
]
_dataset = dict(type=dataset_type, data_root=data_root)
train_dataloader = dict(
    batch_size=num_ways * (num_shots + num_queries),
    num_workers=8,
    persistent_workers=True,
    dataset=dict(_dataset, split='train', pipeline=train_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False),
    batch_sampler=dict(
        type='EpisodicBatchSampler',
        num_ways=num_ways,
        num_shots=num_shots,
        num_queries=num_queries,
        num_episodes=50),
    collate_fn=dict(type='default_collate'))
val_dataloader = dict(
    batch_size=64,
    num_workers=8,
    persistent_workers=True,
    dataset=dict(
        _dataset, split='val', test_mode=True, pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'))
val_evaluator = dict(
    type='DeepEMDEpisodicAccuracy',
    num_ways=num_ways,
    num_shots=num_shots,
    num_queries=num_queries,
    num_episodes=100,
    seed=0)
test_dataloader = dict(
    val_dataloader, dataset=dict(val_dataloader['dataset'], split='test'))
test_evaluator = dict(val_evaluator, num_shots=(1, 5), num_episodes=1000)
