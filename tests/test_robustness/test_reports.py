# Copyright (c) mmpart contributors. All rights reserved.
"""The suite's JSON, markdown and chart reports from known results."""
import json
import os.path as osp

from mmpart.robustness import headline_accuracies, write_reports

RESULTS = dict(
    config='configs/toy/model.py',
    checkpoint='work_dirs/toy/epoch_12.pth',
    data_root='data/toy_robustness',
    benchmarks=dict(
        clean=dict(
            metrics={'accuracy/top1': 81.0, 'accuracy/top5': 99.0},
            headline=['accuracy/top1'],
            source='files'),
        pgd10_linf=dict(
            metrics={'clean/top1': 80.0, 'robust/top1': 12.5},
            headline=['clean/top1', 'robust/top1'],
            source='files'),
        shape_bias=dict(
            metrics={'shape/shape_bias': 0.25},
            headline=['shape/shape_bias', 'shape/missing'],
            source='files')),
    skipped=dict(imagenet_a='imagenet-a not found in data/toy_robustness'))


def test_reports(tmp_path):
    out = str(tmp_path / 'report')
    write_reports(RESULTS, out)
    with open(osp.join(out, 'results.json')) as f:
        assert json.load(f) == RESULTS
    with open(osp.join(out, 'results.md')) as f:
        lines = f.read().splitlines()
    assert lines[0] == '# Robustness of `epoch_12.pth`'
    assert lines[-6:] == [
        '| clean | accuracy/top1 | 81.00 |',
        '| pgd10_linf | clean/top1 | 80.00 |',
        '| pgd10_linf | robust/top1 | 12.50 |',
        '| shape_bias | shape/shape_bias | 0.25 |',
        '| shape_bias | shape/missing | n/a |',
        '| imagenet_a | skipped | imagenet-a not found in '
        'data/toy_robustness |',
    ]
    # The chart shows the top-1 accuracies (not the shape bias, a ratio).
    assert headline_accuracies(RESULTS) == [
        ('clean accuracy/top1', 81.0), ('pgd10_linf clean/top1', 80.0),
        ('pgd10_linf robust/top1', 12.5)
    ]
    with open(osp.join(out, 'results.png'), 'rb') as f:
        assert f.read(8) == b'\x89PNG\r\n\x1a\n'
