# The official DeepEMD episodes (its train_meta.py, fcn loader): the
# episodes of pinpp-fewshot-episodes_84.py on the csv splits of
# data/pinpp_fewshot_official/deepemd (PINPPDeepEMDDataset), DeepEMD's mean
# and std. Train: one 5-way 1-shot episode with 4 queries a class a batch,
# 50 episodes an epoch, augmented as its loader augments the train split
# (RandomResizedCrop to 84 px, PIL bilinear, and flip). Val and test
# images: resize to 92 x 92, center-crop 84. Val: 100 seeded 1-shot
# episodes of the val classes. Test: seeded 5-way 1-shot and 5-shot
# episodes of the test classes with 4 queries, mean accuracy and 1.96 * std
# / sqrt(n), as the official test reports; 1000 episodes where the official
# script tests 25 (its -test_episode), since 25 leave an interval of
# several points. The official sampler (mmpart's 'metabaseline' draw) is
# not used: the official DeepEMD script draws unseeded, so its episodes
# cannot be repeated anyway.
_base_ = './pinpp-fewshot-episodes_84.py'

dataset_type = 'PINPPDeepEMDDataset'
data_root = 'data/pinpp_fewshot_official/deepemd'
num_ways = 5
num_shots = 1
num_queries = 4

data_preprocessor = dict(
    mean=[125.3, 123.0, 113.9], std=[63.0, 62.1, 66.7], to_rgb=True)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='RandomResizedCrop',
        scale={{_base_.image_size}},
        backend='pillow'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(92, 92), backend='pillow'),
    dict(type='CenterCrop', crop_size={{_base_.image_size}}),
    dict(type='PackInputs'),
]
_dataset = dict(_delete_=True, type=dataset_type, data_root=data_root)
train_dataloader = dict(
    batch_size=num_ways * (num_shots + num_queries),
    dataset=dict(_dataset, split='train', pipeline=train_pipeline),
    batch_sampler=dict(
        num_shots=num_shots, num_queries=num_queries, num_episodes=50))
val_dataloader = dict(
    dataset=dict(
        _dataset, split='val', test_mode=True, pipeline=test_pipeline))
test_dataloader = dict(
    dataset=dict(
        _dataset, split='test', test_mode=True, pipeline=test_pipeline))
_deepemd = dict(type='DeepEMDEpisodicAccuracy', num_queries=num_queries)
val_evaluator = dict(_deepemd, num_shots=num_shots, num_episodes=100)
test_evaluator = dict(_deepemd, num_episodes=1000)
