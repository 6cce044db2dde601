# Copyright (c) mmpart contributors. All rights reserved.
import json
import os.path as osp

import pytest

from mmpart.datasets import (LabelSpace, PINPPLayout, imagenet_object_names,
                             load_part_counts, part_id_offsets,
                             read_label_space, write_label_space)
from mmpart.datasets.label_space import label_space_field

ROWS = [
    dict(id=0, wnid='-', object='background', part='background', parent='-'),
    dict(id=1, wnid='n1', object='fish', part='body', parent='-'),
    dict(id=2, wnid='n1', object='fish', part='eye', parent='body'),
    dict(id=3, wnid='n2', object='crab', part='shell', parent='-'),
]


def test_official_table():
    counts = load_part_counts()
    assert len(counts) == 1000
    assert list(counts) == sorted(counts)
    assert sum(counts.values()) == 3310
    assert min(counts.values()) >= 1 and max(counts.values()) <= 9
    assert load_part_counts('mmpart::pinpp_part_counts.tsv') == counts
    offsets = part_id_offsets(counts)
    wnids = list(counts)
    assert offsets[wnids[0]] == 1
    assert offsets[wnids[1]] == 1 + counts[wnids[0]]
    assert offsets[wnids[-1]] + counts[wnids[-1]] == 3311


def test_imagenet_object_names():
    names = imagenet_object_names()
    assert list(names) == list(load_part_counts())
    # Class-index order: 0 is the tench, 999 toilet tissue.
    assert names['n01440764'] == 'tench'
    assert list(names.values())[-1] == 'toilet tissue'


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
    # A wnid names folders to read and write: it may not leave them.
    path.write_text('wnid\tnum_parts\nn1\t2\n../../escape_w\t3\n')
    with pytest.raises(ValueError, match=r":3: '../../escape_w' is not a "):
        load_part_counts(str(path))


def test_label_space_file_round_trip(tmp_path):
    path = str(tmp_path / 'ls.tsv')
    write_label_space(path, ROWS)
    assert open(path).read().splitlines()[2] == '1\tn1\tfish\tbody\t-'
    assert read_label_space(path) == ROWS
    with pytest.raises(ValueError, match='row 1 has id 2'):
        write_label_space(path, [ROWS[0], ROWS[2]])
    with open(path, 'a') as f:
        f.write('7\tn2\tcrab\tleg\t-\n')
    with pytest.raises(ValueError, match=r'ls.tsv:6: bad row'):
        read_label_space(path)


@pytest.mark.parametrize('bad', ['left\tfin', 'left\nfin', 'left\rfin'])
def test_writer_refuses_what_the_reader_cannot_read(tmp_path, bad):
    path = str(tmp_path / 'ls.tsv')
    rows = [ROWS[0], dict(ROWS[1], part=bad)]
    with pytest.raises(ValueError, match=r'row 1 has the part .* tab or line'):
        write_label_space(path, rows)
    assert not osp.exists(path)
    assert label_space_field(bad) == 'left fin'
    rows[1]['part'] = label_space_field(bad)
    write_label_space(path, rows)
    assert read_label_space(path) == rows


def test_label_space_object():
    space = LabelSpace(ROWS)
    assert space.wnids == ('n1', 'n2')
    assert space.object_names == ('fish', 'crab')
    assert space.object_class_names == ('background', 'fish', 'crab')
    assert space.part_names == ('background', 'fish/body', 'fish/eye',
                                'crab/shell')
    assert space.object_label == dict(n1=0, n2=1)
    assert space.part_offsets == dict(n1=1, n2=3)
    assert space.part_counts == dict(n1=2, n2=1)
    assert space.num_part_classes == 4
    assert space.part_id_range('n1') == (1, 3)
    assert space.part_id_range('n2') == (3, 4)
    with pytest.raises(KeyError, match='n3 is not a class'):
        space.part_id_range('n3')


def test_label_space_rejects_bad_rows():
    with pytest.raises(ValueError, match='row 0 must be the background'):
        LabelSpace(ROWS[1:])
    split = ROWS[:2] + [dict(ROWS[3], id=2), dict(ROWS[2], id=3)]
    with pytest.raises(ValueError, match=r'row 3 \(n1\): the parts of a '
                       'class must have consecutive ids'):
        LabelSpace(split)
    renamed = ROWS[:2] + [dict(ROWS[2], object='trout')] + ROWS[3:]
    with pytest.raises(ValueError, match="object 'trout'"):
        LabelSpace(renamed)


def test_from_part_counts():
    space = LabelSpace.from_part_counts(
        dict(n2=1, n1=3), object_names=dict(n1='fish'),
        part_names=dict(n1=['body', 'eye']), parents=dict(n1=dict(eye='body')))
    assert [(r['id'], r['wnid'], r['object'], r['part'], r['parent'])
            for r in space.rows] == [
                (0, '-', 'background', 'background', '-'),
                (1, 'n1', 'fish', 'body', '-'),
                (2, 'n1', 'fish', 'eye', 'body'),
                (3, 'n1', 'fish', 'part3', '-'),
                (4, 'n2', 'n2', 'part1', '-'),
            ]
    with pytest.raises(ValueError, match='without parts'):
        LabelSpace.from_part_counts(dict(n1=2, n2=0))
    official = LabelSpace.from_part_counts(load_part_counts())
    assert official.num_part_classes == 3311
    assert len(official.object_class_names) == 1001
    assert official.part_offsets == dict(part_id_offsets(load_part_counts()))


def test_label_space_of_the_converted_toy_set(toy_pinpp, toy_processed):
    root, done = toy_pinpp
    out, report = toy_processed
    space = LabelSpace.from_file(PINPPLayout(out).label_space)
    counts = load_part_counts(osp.join(root, 'meta', 'part_counts.tsv'))
    names = json.load(open(osp.join(root, 'release', 'category_name.json')))
    assert space.wnids == tuple(done['classes'])
    assert space.object_names == tuple(names[w]['object']
                                       for w in done['classes'])
    assert space.object_label == {w: i for i, w in enumerate(
        done['classes'])}
    assert space.part_offsets == dict(part_id_offsets(counts))
    assert space.part_counts == dict(counts)
    assert space.num_part_classes == report['num_part_classes'] == \
        1 + sum(counts.values())
    first = done['classes'][0]
    offset = space.part_offsets[first]
    assert space.part_names[offset:offset + counts[first]] == tuple(
        f'{names[first]["object"]}/{p}' for p in names[first]['parts'])
    # Parents come from including/.
    spec = {s['wnid']: s for s in done['class_specs']}
    for wnid in done['classes']:
        parts = spec[wnid]['parts']
        for row in space.rows[space.part_offsets[wnid]:][:len(parts)]:
            part = next(p for p in parts if p['name'] == row['part'])
            expected = parts[part['anchor']]['name'] if part['inside'] \
                else '-'
            assert row['parent'] == expected
