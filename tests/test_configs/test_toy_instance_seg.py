# Copyright (c) mmpart contributors. All rights reserved.
"""The toy Mask R-CNN learns objects and parts through tools/train.py and
tools/test.py, and is scored by the paper's protocol (LVIS federated AP,
obj-AP and part-AP) on the converter's LVIS-format files."""
import json
import os.path as osp

import pytest
from mmengine.config import Config
from mmengine.runner import Runner

from ..conftest import run_tool, write_toy_instance_config


@pytest.mark.slow
def test_toy_mask_rcnn_learns_objects_and_parts(toy_processed, tmp_path):
    root, _ = toy_processed
    config = write_toy_instance_config(
        tmp_path / 'cfg.py', root,
        'train_cfg = dict(max_iters=150, val_interval=150)\n'
        'default_hooks = dict(checkpoint=dict(interval=150))\n')

    # The initialised model, before any step, on the test split.
    cfg = Config.fromfile(config)
    cfg.work_dir = str(tmp_path / 'start')
    runner = Runner.from_cfg(cfg)
    runner.model.init_weights()
    start = runner.test()

    work_dir = str(tmp_path / 'train')
    run_tool(['tools/train.py', config, '--work-dir', work_dir])
    metrics_file = str(tmp_path / 'metrics.json')
    run_tool([
        'tools/test.py', config,
        osp.join(work_dir, 'iter_150.pth'), '--work-dir', work_dir, '--out',
        metrics_file
    ])
    trained = json.load(open(metrics_file))

    for group in ('object', 'part', 'part_given_object'):
        for iou_type in ('bbox', 'segm'):
            key = f'coco/{group}/{iou_type}_mAP'
            assert start[key] < 0.02, (key, start[key])
    # Clearly above the start, half-way through the toy schedule (its full
    # 300 iterations reach about 0.5 for both); knowing the object never
    # hurts the parts.
    assert trained['coco/object/segm_mAP'] > 0.15, trained
    assert trained['coco/part/segm_mAP'] > 0.15, trained
    assert trained['coco/part_given_object/segm_mAP'] >= \
        trained['coco/part/segm_mAP'], trained

    # The same checkpoint by the paper's protocol, on the LVIS-format test
    # file renumbered to the model's classes.
    lvis_file = str(tmp_path / 'lvis_metrics.json')
    run_tool([
        'tools/analysis_tools/test_lvis_protocol.py', config,
        osp.join(work_dir, 'iter_150.pth'), '--split', 'test',
        '--work-dir', str(tmp_path / 'lvis'), '--out', lvis_file
    ])
    lvis = json.load(open(lvis_file))
    for iou_type in ('bbox', 'segm'):
        for name in ('AP', 'obj-AP', 'part-AP', 'APr', 'APc', 'APf'):
            assert f'lvis/{iou_type}_{name}' in lvis, lvis
    # No category is frequent on the toy set; objects and parts learnt.
    assert lvis['lvis/segm_APf'] == -1, lvis
    assert lvis['lvis/segm_obj-AP'] > 0.15, lvis
    assert lvis['lvis/segm_part-AP'] > 0.15, lvis
