# Copyright (c) mmpart contributors. All rights reserved.
import pytest

from mmpart.datasets import (load_part_counts, part_class_names,
                             part_id_offsets, read_label_space,
                             write_label_space)


def test_official_table():
    counts = load_part_counts()
    assert len(counts) == 1000
    assert list(counts) == sorted(counts)
    assert sum(counts.values()) == 3310
    assert min(counts.values()) >= 1 and max(counts.values()) <= 9
    offsets = part_id_offsets(counts)
    wnids = list(counts)
    assert offsets[wnids[0]] == 1
    assert offsets[wnids[1]] == 1 + counts[wnids[0]]
    assert offsets[wnids[-1]] + counts[wnids[-1]] == 3311


def test_bad_table(tmp_path):
    path = tmp_path / 'counts.tsv'
    path.write_text('wnid\tparts\nn1\t2\n')
    with pytest.raises(ValueError, match='header'):
        load_part_counts(str(path))
    path.write_text('wnid\tnum_parts\nn1\t2\nn1\t3\n')
    with pytest.raises(ValueError, match='repeated'):
        load_part_counts(str(path))
    path.write_text('wnid\tnum_parts\nn1\tx\n')
    with pytest.raises(ValueError, match=':2: bad row'):
        load_part_counts(str(path))


def test_label_space_roundtrip(tmp_path):
    rows = [
        dict(id=0, wnid='-', object='background', part='background',
             parent='-'),
        dict(id=1, wnid='n1', object='fish', part='body', parent='-'),
        dict(id=2, wnid='n1', object='fish', part='eye', parent='body'),
    ]
    path = str(tmp_path / 'ls.tsv')
    write_label_space(path, rows)
    assert read_label_space(path) == rows
    assert part_class_names(rows) == ('background', 'fish/body', 'fish/eye')
    with pytest.raises(ValueError, match='row 1 has id 2'):
        write_label_space(path, [rows[0], rows[2]])
