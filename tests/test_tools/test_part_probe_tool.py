# Copyright (c) mmpart contributors. All rights reserved.
import json
import os.path as osp
import runpy
import sys

import pytest
import torch
from mmengine.runner import save_checkpoint

from mmpart.apis import init_model
from ..conftest import PROJECT_ROOT, load_tool, write_toy_config

TOOL = osp.join(PROJECT_ROOT, 'tools', 'analysis_tools', 'part_probe.py')
CLASSIFIER = 'configs/toy/resnet18-w32_1xb32-12e_toy-pinpp.py'


def test_part_probe_tool_on_toy_set(toy_processed, tmp_path, monkeypatch,
                                    capsys):
    root, _ = toy_processed
    # The plain classifier's datasets point at the processed root, so the
    # tool finds it without --data-root.
    config = write_toy_config(tmp_path / 'cls.py', CLASSIFIER, root)
    torch.manual_seed(0)
    checkpoint = str(tmp_path / 'random.pth')
    save_checkpoint(dict(state_dict=init_model(config).state_dict()),
                    checkpoint)
    out = tmp_path / 'probe.json'
    monkeypatch.setattr(sys, 'argv', [
        TOOL, config, checkpoint, '--train-list', 'splits/test.txt',
        '--epochs', '2', '--stage', '2', '--size', '64', '--device', 'cpu',
        '--out', str(out)
    ])
    runpy.run_path(TOOL, run_name='__main__')
    assert 'mIoU (class-aware)' in capsys.readouterr().out
    report = json.loads(out.read_text())
    assert report['data_root'] == root
    assert report['stage'] == 2 and report['feature_size'] == [128, 4, 4]
    assert report['num_train_images'] == 20
    assert report['num_test_images'] == 20
    for key in ('mIoU', 'mIoU_class_aware', 'mIoU_overclustering'):
        assert 0 <= report[key] <= 100


def test_empty_split_list_is_named(tmp_path):
    probe = load_tool('tools/analysis_tools/part_probe.py')
    split = tmp_path / 'val.txt'
    split.write_text('')
    with pytest.raises(ValueError,
                       match=f'{split}: the split list names no image'):
        probe.load_split(str(tmp_path), 'val.txt', 32)
