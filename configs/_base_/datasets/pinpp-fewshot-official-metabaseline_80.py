# The paper's few-shot data as its official MetaBaseline reads it: the
# pickles of data/pinpp_fewshot_official/metabaseline
# (pinpp_category_split_{train_phase_train,train_phase_val,val,test}.pickle,
# PINPPMetaBaselineDataset; the paper's own files, or those that
# tools/dataset_converters/pinpp_fewshot_official.py writes from a converted
# set). Each sample is the pair the official model sees: the full image and
# its object-box crop, 80 x 80 (PIL bilinear), ImageNet's mean and std, no
# augmentation (StackObjectCrop stacks them as 6 channels, image first).
# Train: the meta stage, one 5-way 5-shot episode with 15 queries a batch,
# 200 episodes an epoch from the train split. Val: 25 seeded 5-shot episodes
# of the val classes (the official validation's count). Test: the official
# test, 8000 episodes of the test classes (200 batches of 4, 10 times)
# drawn as its CategoriesSampler draws them from seed 0, mean accuracy and
# the t-interval of the batch means, 1-shot and 5-shot.
dataset_type = 'PINPPMetaBaselineDataset'
data_root = 'data/pinpp_fewshot_official/metabaseline'
image_size = 80
num_ways = 5
num_shots = 5
num_queries = 15

data_preprocessor = dict(
    mean=[123.675, 116.28, 103.53] * 2,
    std=[58.395, 57.12, 57.375] * 2,
    to_rgb=False)
pair_pipeline = [
    dict(type='StackObjectCrop', scale=image_size, backend='pillow'),
    dict(type='PackInputs'),
]
_dataset = dict(type=dataset_type, data_root=data_root)
train_dataloader = dict(
    batch_size=num_ways * (num_shots + num_queries),
    num_workers=8,
    persistent_workers=True,
    dataset=dict(_dataset, split='train', pipeline=pair_pipeline),
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
        _dataset, split='val', test_mode=True, pipeline=pair_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'))
val_evaluator = dict(
    type='EpisodicAccuracy',
    num_ways=num_ways,
    num_shots=num_shots,
    num_queries=num_queries,
    num_episodes=25,
    seed=0,
    sampler='metabaseline',
    interval='t')
test_dataloader = dict(
    val_dataloader, dataset=dict(val_dataloader['dataset'], split='test'))
test_evaluator = dict(
    val_evaluator, num_shots=(1, 5), num_episodes=8000, episodes_per_batch=4)
