# The paper's few-shot data as its official MetaBaseline reads it: the
# episodes of pinpp-fewshot-episodes_84.py on the pickles of
# data/pinpp_fewshot_official/metabaseline
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
_base_ = './pinpp-fewshot-episodes_84.py'

dataset_type = 'PINPPMetaBaselineDataset'
data_root = 'data/pinpp_fewshot_official/metabaseline'
image_size = 80

data_preprocessor = dict(
    mean=[123.675, 116.28, 103.53] * 2,
    std=[58.395, 57.12, 57.375] * 2,
    to_rgb=False)
pair_pipeline = [
    dict(type='StackObjectCrop', scale=image_size, backend='pillow'),
    dict(type='PackInputs'),
]
_dataset = dict(
    _delete_=True,
    type=dataset_type,
    data_root=data_root,
    pipeline=pair_pipeline)
train_dataloader = dict(dataset=dict(_dataset, split='train'))
val_dataloader = dict(dataset=dict(_dataset, split='val', test_mode=True))
test_dataloader = dict(dataset=dict(_dataset, split='test', test_mode=True))
_official = dict(seed=0, sampler='metabaseline', interval='t')
val_evaluator = dict(_official, num_shots=5, num_episodes=25)
test_evaluator = dict(_official, num_episodes=8000, episodes_per_batch=4)
