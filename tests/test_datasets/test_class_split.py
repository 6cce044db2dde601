# Copyright (c) mmpart contributors. All rights reserved.
import json

import pytest

from mmpart.datasets.class_split import (CLASS_SPLIT_SIDES,
                                         DEFAULT_CLASS_SPLIT, make_class_split,
                                         read_class_split, write_class_split)
from mmpart.datasets.label_space import load_part_counts
from mmpart.datasets.lists import resolve_bundled
from ..conftest import load_tool

WNIDS = [f'n{i:08d}' for i in range(20)]


def test_make_class_split_sizes_disjoint_complete():
    split = make_class_split(WNIDS, sizes=(14, 4, 2), seed=3)
    assert split['seed'] == 3
    assert split['sizes'] == dict(base=14, val=4, novel=2)
    sides = [split[side] for side in CLASS_SPLIT_SIDES]
    assert [len(s) for s in sides] == [14, 4, 2]
    assert all(s == sorted(s) for s in sides)
    assert sorted(sum(sides, [])) == WNIDS
    # Shuffled input order does not matter, the seed does.
    assert make_class_split(WNIDS[::-1], (14, 4, 2), seed=3) == split
    other = make_class_split(WNIDS, (14, 4, 2), seed=4)
    assert other['novel'] != split['novel'] or other['val'] != split['val']


@pytest.mark.parametrize('wnids, sizes, match', [
    (WNIDS, (14, 4, 1), 'sum to 19'),
    (WNIDS, (22, -1, -1), 'non-negative'),
    (WNIDS, (10, 10), 'expected 3'),
    (WNIDS + WNIDS[:1], (15, 3, 3), 'repeated'),
])
def test_make_class_split_errors(wnids, sizes, match):
    with pytest.raises(ValueError, match=match):
        make_class_split(wnids, sizes)


def test_write_read_round_trip(tmp_path):
    split = make_class_split(WNIDS, (10, 5, 5), seed=1)
    path = str(tmp_path / 'split.json')
    write_class_split(path, split)
    assert read_class_split(path) == split


@pytest.mark.parametrize('edit, match', [
    (lambda s: s.pop('novel'), r"without \['novel'\]"),
    (lambda s: s['val'].append(s['base'][0]), 'lists 6 wnids'),
    (lambda s: s['val'].__setitem__(0, s['base'][0]), 'in "base" and in'),
    (lambda s: s['sizes'].pop('val'), 'exactly'),
])
def test_read_class_split_errors_name_the_file(tmp_path, edit, match):
    split = make_class_split(WNIDS, (10, 5, 5))
    edit(split)
    path = tmp_path / 'bad.json'
    path.write_text(json.dumps(split))
    with pytest.raises(ValueError, match=match) as info:
        read_class_split(str(path))
    assert str(path) in str(info.value)
    # No invalid file is ever written either.
    with pytest.raises(ValueError, match=match):
        write_class_split(str(tmp_path / 'out.json'), split)
    assert not (tmp_path / 'out.json').exists()


def test_read_class_split_bad_json(tmp_path):
    path = tmp_path / 'broken.json'
    path.write_text('{"seed": 0,')
    with pytest.raises(ValueError, match='broken.json: not valid JSON'):
        read_class_split(str(path))


def test_bundled_default_split():
    split = read_class_split(DEFAULT_CLASS_SPLIT)
    official = list(load_part_counts())
    assert split['seed'] == 0
    assert [len(split[side]) for side in CLASS_SPLIT_SIDES] == [900, 50, 50]
    assert sorted(sum((split[s] for s in CLASS_SPLIT_SIDES), [])) == official
    assert split == make_class_split(official, (900, 50, 50), seed=0)


def test_bundled_file_is_what_the_tool_writes(tmp_path, capsys):
    tool = load_tool('tools/misc/make_class_split.py')
    out = str(tmp_path / 'split.json')
    tool.main(['--sizes', '900', '50', '50', '--seed', '0', out])
    with open(out, 'rb') as f, open(resolve_bundled(DEFAULT_CLASS_SPLIT),
                                    'rb') as g:
        assert f.read() == g.read()
    assert 'base 900, val 50, novel 50' in capsys.readouterr().out


def test_tool_with_a_part_count_table(tmp_path, capsys):
    table = tmp_path / 'counts.tsv'
    table.write_text('wnid\tnum_parts\n' +
                     ''.join(f'{w}\t2\n' for w in WNIDS[:6]))
    out = str(tmp_path / 'split.json')
    tool = load_tool('tools/misc/make_class_split.py')
    tool.main(['--part-counts', str(table), '--sizes', '4', '1', '1',
               '--seed', '5', out])
    assert read_class_split(out) == make_class_split(WNIDS[:6], (4, 1, 1), 5)
    assert 'base 4, val 1, novel 1' in capsys.readouterr().out
