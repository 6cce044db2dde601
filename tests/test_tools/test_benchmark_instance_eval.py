# Copyright (c) mmpart contributors. All rights reserved.
"""tools/analysis_tools/benchmark_instance_eval.py on a tiny case."""
import re

from ..conftest import load_tool

benchmark = load_tool('tools/analysis_tools/benchmark_instance_eval.py')


def test_benchmark_instance_eval_tiny(capsys):
    assert benchmark.main(
        ['--categories', '20', '--images', '30', '--seed', '1']) == 0
    out = capsys.readouterr().out
    lines = [
        line for line in out.splitlines()
        if line.startswith('instance_eval_sparse_vs_cocoeval ')
    ]
    # One line per IoU type, nothing from pycocotools in between.
    assert [re.search(r'iou_type=(\w+)', line).group(1)
            for line in lines] == ['bbox', 'segm'], out
    assert 'DONE' not in out and 'Accumulating' not in out
    for line in lines:
        assert 'categories=20 images=30' in line
        assert line.endswith('identical=True'), line
        ratio = float(re.search(r'time_ratio=(\S+)', line).group(1))
        assert ratio > 0, line
