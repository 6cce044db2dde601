# Copyright (c) mmpart contributors. All rights reserved.
"""The toy MetaBaseline config end to end through tools/train.py and
tools/test.py: episodic batches in training, episodic accuracy in
validation and test."""
import glob
import json
import os
import os.path as osp
import re

import pytest

from ..conftest import PROJECT_ROOT, run_tool

CONFIG = ('configs/toy/'
          'meta-baseline_resnet12-w16_1xb100-4e_toy-fewshot-5way5shot-84px.py')


@pytest.mark.slow
def test_meta_stage_trains_and_tests_on_episodes(toy_fewshot_processed,
                                                 tmp_path):
    # The fixture has 4 / 2 / 2 classes of 6 images: 2-way 1-shot episodes
    # with 2 queries.
    root = toy_fewshot_processed
    episode = 'num_ways=2, num_shots=1, num_queries=2'
    config = tmp_path / 'cfg.py'
    config.write_text(f"""_base_ = {osp.join(PROJECT_ROOT, CONFIG)!r}
_data = dict(data_root={root!r})
_loader = dict(num_workers=0, persistent_workers=False, dataset=_data)
model = dict({episode})
train_dataloader = dict(
    _loader, batch_size=6,
    batch_sampler=dict({episode}, num_episodes=3))
val_dataloader = _loader
test_dataloader = _loader
val_evaluator = dict(
    num_ways=2, num_shots=(1, ), num_queries=2, num_episodes=50)
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
