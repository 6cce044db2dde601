# Copyright (c) mmpart contributors. All rights reserved.
"""compare_robustness.py on small suite results written by the suite's own
JSON writer."""
import copy
import os.path as osp

import pytest

from mmpart.robustness import write_json_report
from ..conftest import load_tool

compare_robustness = load_tool('tools/analysis_tools/compare_robustness.py')

MPM = dict(
    config='configs/toy/mpm_toy.py',
    checkpoint='work_dirs/mpm_toy/epoch_12.pth',
    data_root='data/toy_robustness',
    benchmarks=dict(
        clean=dict(
            metrics={'accuracy/top1': 90.0},
            headline=['accuracy/top1'],
            source='files'),
        pgd10_linf=dict(
            metrics={'clean/top1': 90.0, 'robust/top1': 20.5},
            headline=['clean/top1', 'robust/top1'],
            source='files'),
        shape_bias=dict(
            metrics={'shape/shape_bias': 0.4},
            headline=['shape/shape_bias'],
            source='files')),
    skipped=dict(imagenet_a='imagenet-a not found'))
PLAIN = dict(
    config='configs/toy/plain_toy.py',
    checkpoint='work_dirs/plain_toy/epoch_12.pth',
    data_root='data/toy_robustness',
    benchmarks=dict(
        clean=dict(
            metrics={'accuracy/top1': 85.0},
            headline=['accuracy/top1'],
            source='files'),
        imagenet_a=dict(
            metrics={'accuracy/top1': 10.0},
            headline=['accuracy/top1'],
            source='files')),
    skipped={})


def _write(tmp_path, *results):
    paths = []
    for i, result in enumerate(results):
        paths.append(str(tmp_path / f'results{i}.json'))
        write_json_report(result, paths[-1])
    return paths


def test_table_has_a_column_per_model_named_by_config(tmp_path):
    out = str(tmp_path / 'cmp')
    compare_robustness.compare(_write(tmp_path, MPM, PLAIN), out)
    with open(out + '.md') as f:
        lines = f.read().splitlines()
    assert lines[:7] == [
        '| benchmark | metric | mpm_toy | plain_toy |',
        '|---|---|---|---|',
        '| clean | accuracy/top1 | 90.00 | 85.00 |',
        '| pgd10_linf | clean/top1 | 90.00 | - |',
        '| pgd10_linf | robust/top1 | 20.50 | - |',
        '| shape_bias | shape/shape_bias | 0.40 | - |',
        # Skipped for one model, run by the other: the metric's row.
        '| imagenet_a | accuracy/top1 | skipped | 10.00 |',
    ]
    assert '- `mpm_toy`: `work_dirs/mpm_toy/epoch_12.pth`' in lines
    with open(out + '.png', 'rb') as f:
        assert f.read(8) == b'\x89PNG\r\n\x1a\n'


def test_one_config_twice_is_told_apart_by_checkpoint(tmp_path):
    later = copy.deepcopy(MPM)
    later['checkpoint'] = 'work_dirs/mpm_toy/epoch_6.pth'
    named = compare_robustness.compare(
        _write(tmp_path, MPM, later), str(tmp_path / 'cmp'))
    assert list(named) == ['mpm_toy (epoch_12.pth)', 'mpm_toy (epoch_6.pth)']
    with pytest.raises(ValueError, match='two results of'):
        compare_robustness.compare(
            _write(tmp_path, MPM, MPM), str(tmp_path / 'cmp'))


def test_another_json_is_refused_with_its_name(tmp_path):
    path = str(tmp_path / 'metrics.json')
    write_json_report({'accuracy/top1': 1.0}, path)
    with pytest.raises(ValueError, match=r'metrics\.json: not a robustness'):
        compare_robustness.compare([path], str(tmp_path / 'cmp'))
    assert not osp.exists(str(tmp_path / 'cmp.md'))


def test_a_benchmark_all_skipped_has_one_row(tmp_path):
    plain = copy.deepcopy(PLAIN)
    del plain['benchmarks']['imagenet_a']
    plain['skipped'] = dict(imagenet_a='imagenet-a not found')
    out = str(tmp_path / 'cmp')
    compare_robustness.compare(_write(tmp_path, MPM, plain), out)
    with open(out + '.md') as f:
        rows = [line for line in f if line.startswith('| imagenet_a')]
    assert rows == ['| imagenet_a |  | skipped | skipped |\n']
