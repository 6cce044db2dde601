# Copyright (c) mmpart contributors. All rights reserved.
"""The first toy config learns: trained by tools/train.py, evaluated by
tools/test.py, it ends far above chance (10 % for 10 classes)."""
import json
import os
import os.path as osp
import subprocess
import sys

import pytest

from ..conftest import PROJECT_ROOT, write_toy_config

CONFIG = 'configs/toy/resnet18-w32_1xb32-12e_toy-pinpp.py'


@pytest.mark.slow
def test_toy_classifier_learns(toy_pinpp, tmp_path):
    data_root, _ = toy_pinpp
    cfg = write_toy_config(tmp_path / 'cfg.py', CONFIG, data_root)
    work_dir = str(tmp_path / 'work')
    env = dict(os.environ, PYTHONPATH=PROJECT_ROOT)
    subprocess.run(
        [sys.executable, 'tools/train.py', cfg, '--work-dir', work_dir],
        cwd=PROJECT_ROOT, env=env, check=True, timeout=900)
    ckpt = open(osp.join(work_dir, 'last_checkpoint')).read().strip()
    metrics_file = str(tmp_path / 'metrics.json')
    subprocess.run([
        sys.executable, 'tools/test.py', cfg, ckpt, '--work-dir', work_dir,
        '--out', metrics_file
    ], cwd=PROJECT_ROOT, env=env, check=True, timeout=300)
    top1 = json.load(open(metrics_file))['accuracy/top1']
    print(f'toy classifier top-1: {top1:.1f} %')
    assert top1 >= 60.0
