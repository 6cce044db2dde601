# Copyright (c) mmpart contributors. All rights reserved.
"""tools/analysis_tools/benchmark_federated_ap.py on a tiny case."""
import re

import numpy as np

from ..conftest import load_tool

benchmark = load_tool('tools/analysis_tools/benchmark_federated_ap.py')


def test_benchmark_federated_ap_tiny(capsys):
    assert benchmark.main([
        '--parts', '12', '--objects', '4', '--images', '20', '--negatives',
        '3', '--dets-per-image', '15', '--seed', '1'
    ]) == 0
    out = capsys.readouterr().out
    lines = [
        line for line in out.splitlines()
        if line.startswith('federated_ap_vs_lvis_eval ')
    ]
    assert [re.search(r'iou_type=(\w+)', line).group(1)
            for line in lines] == ['bbox', 'segm'], out
    for line in lines:
        assert 'categories=16 images=20' in line
        assert float(re.search(r'max_abs_diff=(\S+)', line).group(1)) == 0
        assert float(re.search(r'time_ratio=(\S+)', line).group(1)) > 0
        ap = float(re.search(r' AP=(\S+)', line).group(1))
        assert 0 < ap < 1, line
    # LVISEval's np.float is set only while it runs.
    assert not hasattr(np, 'float')
