# Copyright (c) mmpart contributors. All rights reserved.
"""The tables of tools/run_toy_fewshot.sh from the files its runs leave."""
import json
import os

from ..conftest import load_tool

table = load_tool('tools/misc/toy_fewshot_table.py')


def _episodes(one, five):
    return {
        'fewshot/5way_1shot_accuracy': one,
        'fewshot/5way_1shot_ci95': 0.5,
        'fewshot/5way_5shot_accuracy': five,
        'fewshot/5way_5shot_ci95': 0.25,
    }


def _write(path, content):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        json.dump(content, f)


def test_tables_hold_each_run(tmp_path):
    for row, (_, folder) in enumerate(table.ROWS):
        for column, (_, tag) in enumerate(table.SCORINGS):
            _write(tmp_path / folder / f'{tag}.json',
                   _episodes(10 * row + column, 50 + 10 * row + column))
        _write(tmp_path / folder / 'part_probe.json',
               dict(mIoU=1.0 + row, mIoU_class_aware=2.0,
                    mIoU_overclustering=3.0))
    for row, (_, folder) in enumerate(table.RECIPES):
        for stage, (_, tag) in enumerate(table.STAGES):
            _write(tmp_path / folder / f'{tag}.json',
                   _episodes(60 + row + stage, 70.125))
    first, second = table.pretraining_table(str(tmp_path)), \
        table.recipe_table(str(tmp_path))
    assert first.splitlines()[2] == (
        '| plain | 0.00 ± 0.50 | 50.00 ± 0.25 | 1.00 ± 0.50 | 51.00 ± 0.25 '
        '| 2.00 ± 0.50 | 52.00 ± 0.25 | 1.00 | 2.00 | 3.00 |')
    assert first.splitlines()[3].startswith(
        '| part-supervised (MPM) | 10.00 ± 0.50 | 60.00 ± 0.25 |')
    assert len(first.splitlines()[0].split('|')) == 2 + 10
    assert second.splitlines()[2:] == [
        '| part-aware MetaBaseline | after the first stage | 60.00 ± 0.50 '
        '| 70.12 ± 0.25 |',
        '| part-aware MetaBaseline | after the meta stage | 61.00 ± 0.50 '
        '| 70.12 ± 0.25 |',
        '| DeepEMD | after the first stage | 61.00 ± 0.50 | 70.12 ± 0.25 |',
        '| DeepEMD | after the meta stage | 62.00 ± 0.50 | 70.12 ± 0.25 |',
    ]
