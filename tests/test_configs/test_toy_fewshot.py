# Copyright (c) mmpart contributors. All rights reserved.
"""The toy meta-stage configs end to end through tools/train.py and
tools/test.py: episodic batches in training, episodic accuracy in
validation and test. mmpart's MetaBaseline on the converted set, the
official part-aware MetaBaseline and DeepEMD on the official files."""
import glob
import json
import os
import os.path as osp
import re

import pytest

from ..conftest import PROJECT_ROOT, run_tool

#: Each config, and its data root: the converted set's fixture, or a
#: folder of the official files' fixture.
CONFIGS = {
    'meta-baseline_resnet12-w16_1xb100-4e_toy-fewshot-5way5shot-84px':
    ('toy_fewshot_processed', ''),
    'meta-baseline-part-aware_resnet12-w16_1xb100-4e_toy-fewshot-official-'
    '5way5shot-80px': ('toy_fewshot_official', 'metabaseline'),
    'deepemd_resnet12-w16_1xb25-4e_toy-fewshot-official-5way1shot-84px':
    ('toy_fewshot_official', 'deepemd'),
}


@pytest.mark.slow
@pytest.mark.parametrize('name', CONFIGS)
def test_meta_stage_trains_and_tests_on_episodes(name, request, tmp_path):
    # The fixtures have 4 / 2 / 2 classes of 6 images: 2-way 1-shot
    # episodes with 2 queries.
    fixture, folder = CONFIGS[name]
    root = osp.join(request.getfixturevalue(fixture), folder)
    episode = 'num_ways=2, num_shots=1, num_queries=2'
    config = tmp_path / 'cfg.py'
    base = osp.join(PROJECT_ROOT, 'configs', 'toy', name + '.py')
    config.write_text(f"""_base_ = {base!r}
_data = dict(data_root={root!r})
_loader = dict(num_workers=0, persistent_workers=False, dataset=_data)
model = dict({episode})
train_dataloader = dict(
    _loader, batch_size=6,
    batch_sampler=dict({episode}, num_episodes=3))
val_dataloader = _loader
test_dataloader = _loader
val_evaluator = dict(
    num_ways=2, num_shots=(1, ), num_queries=2, num_episodes=48)
test_evaluator = val_evaluator
train_cfg = dict(max_epochs=2)
default_hooks = dict(checkpoint=dict(save_best='fewshot/2way_1shot_accuracy'))
load_from = None
""")
    work_dir = str(tmp_path / 'work')
    out = run_tool(['tools/train.py', str(config), '--work-dir', work_dir])
    # 3 episodes an epoch, validated after each epoch.
    assert re.search(r'Epoch\(train\) \[2\]\[3/3\]', out), out[-3000:]
    assert len(re.findall(r'fewshot/2way_1shot_accuracy: [\d.]+', out)) == 2
    best = glob.glob(osp.join(work_dir, 'best_fewshot_2way_1shot*.pth'))
    assert len(best) == 1, os.listdir(work_dir)

    metrics_file = str(tmp_path / 'metrics.json')
    run_tool([
        'tools/test.py',
        str(config), best[0], '--work-dir', work_dir, '--out', metrics_file
    ])
    metrics = json.load(open(metrics_file))
    assert set(metrics) == {'fewshot/2way_1shot_accuracy',
                            'fewshot/2way_1shot_ci95'}
    assert 0 <= metrics['fewshot/2way_1shot_accuracy'] <= 100
    assert metrics['fewshot/2way_1shot_ci95'] > 0
