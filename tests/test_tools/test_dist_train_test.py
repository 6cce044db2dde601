# Copyright (c) mmpart contributors. All rights reserved.
"""tools/dist_train.sh and dist_test.sh with two CPU processes (gloo)."""
import glob
import json
import os
import os.path as osp
import re
import socket
import subprocess
import sys

import pytest

from ..conftest import (PROJECT_ROOT, write_toy_config,
                        write_toy_instance_config)


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _run(args):
    env = dict(os.environ, PYTHON=sys.executable, PORT=str(_free_port()),
               OMP_NUM_THREADS='1')
    proc = subprocess.run(['bash'] + args, cwd=PROJECT_ROOT, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-5000:]
    return proc.stdout


@pytest.mark.slow
def test_dist_train_then_dist_test(toy_pinpp, tmp_path):
    data_root, _ = toy_pinpp
    cfg = write_toy_config(
        tmp_path / 'cfg.py',
        'configs/toy/resnet18-w32_1xb32-12e_toy-pinpp.py', data_root,
        'train_cfg = dict(max_epochs=1)\n'
        'train_dataloader.update(num_workers=0)\n'
        'val_dataloader.update(num_workers=0)\n'
        'test_dataloader.update(num_workers=0)\n')
    work_dir = str(tmp_path / 'work')
    out = _run(['tools/dist_train.sh', cfg, '2', '--work-dir', work_dir,
                '--no-validate'])
    assert 'Distributed training: True' in out
    # 500 images over 2 ranks at 32 per batch: 8 iterations, not 16.
    assert re.search(r'Epoch\(train\) \[1\]\[8/8\]', out), out[-3000:]
    # Rank 0 alone writes: exactly one checkpoint.
    assert glob.glob(osp.join(work_dir, '*.pth')) == [
        osp.join(work_dir, 'epoch_1.pth')
    ]

    metrics_file = str(tmp_path / 'metrics.json')
    out = _run([
        'tools/dist_test.sh', cfg,
        osp.join(work_dir, 'epoch_1.pth'), '2', '--work-dir', work_dir,
        '--out', metrics_file
    ])
    # 100 val images over 2 ranks at 32 per batch: 2 iterations each.
    assert re.search(r'Epoch\(test\) \[2/2\]', out), out[-3000:]
    metrics = json.load(open(metrics_file))
    assert 0 <= metrics['accuracy/top1'] <= 100


@pytest.mark.slow
def test_dist_train_instance_segmenter(toy_processed, tmp_path):
    """The toy Mask R-CNN on two processes, validation included: the
    instance metric gathers both ranks' detections."""
    root, _ = toy_processed
    cfg = write_toy_instance_config(
        tmp_path / 'cfg.py', root,
        'train_cfg = dict(max_iters=4, val_interval=4)\n'
        'default_hooks = dict(checkpoint=dict(interval=4), '
        'logger=dict(interval=2))\n')
    work_dir = str(tmp_path / 'work')
    out = _run(['tools/dist_train.sh', cfg, '2', '--work-dir', work_dir])
    assert 'Distributed training: True' in out
    assert re.search(r'Iter\(train\) \[4/4\]', out), out[-3000:]
    # 20 val images over 2 ranks at 8 per batch: 2 iterations each; rank 0
    # scores the gathered detections.
    assert re.search(r'Iter\(val\) \[2/2\]', out), out[-3000:]
    assert re.search(r'coco/part_given_object/segm_mAP: \d', out)
    assert glob.glob(osp.join(work_dir, '*.pth')) == [
        osp.join(work_dir, 'iter_4.pth')
    ]
