# Copyright (c) mmpart contributors. All rights reserved.
"""tools/analysis_tools/benchmark_part_probe.py on a tiny case."""
import re

import pytest

from ..conftest import load_tool

benchmark = load_tool('tools/analysis_tools/benchmark_part_probe.py')


@pytest.mark.slow
def test_benchmark_part_probe_tiny(capsys):
    # Two spawned processes train the same probe two ways.
    assert benchmark.main([
        '--classes', '6', '--channels', '8', '--feature-size', '3',
        '--label-size', '12', '--batch-size', '3', '--steps', '2'
    ]) == 0
    out = capsys.readouterr().out
    assert re.fullmatch(
        r'part_probe_steps classes=6 label_size=12 batch=3 '
        r'memory_ratio=[\d.]+ \(accumulated \d+ MiB, whole batch \d+ MiB '
        r'above the start\) time_ratio=[\d.]+ \(accumulated [\d.]+ s, '
        r'whole batch [\d.]+ s\) same_weights=True\n', out), out


def test_benchmark_part_probe_rejects_empty_sizes():
    with pytest.raises(SystemExit):
        benchmark.parse_args(['--batch-size', '0'])


def test_benchmark_part_probe_reports_a_killed_baseline(monkeypatch, capsys):
    # The whole-batch run killed for memory is a result, not an error; a
    # failed accumulated run is an error.
    results = {'accumulated': (2692.0, 62.7, None), 'whole_batch': -9}
    monkeypatch.setattr(benchmark, 'measure',
                        lambda variant, argv, folder: results[variant])
    assert benchmark.main(['--batch-size', '16']) == 0
    assert capsys.readouterr().out == (
        'part_probe_steps classes=3311 label_size=224 batch=16 accumulated '
        '2692 MiB above the start, 62.70 s; whole batch failed (return code '
        '-9: killed, most likely out of memory)\n')
    results['accumulated'] = 1
    assert benchmark.main([]) == 1
    assert 'accumulated failed (return code 1)' in capsys.readouterr().out
