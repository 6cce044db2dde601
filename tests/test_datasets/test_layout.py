# Copyright (c) mmpart contributors. All rights reserved.
import json
import os.path as osp

import pytest

from mmpart.datasets import (MAP_IGNORE_INDEX, SPLIT_NAMES, PINPPLayout,
                             read_pseudo_flags, sample_key, split_sample_key)
from mmpart.datasets.layout import check_wnid


def test_layout_paths():
    layout = PINPPLayout('data/pinpp')
    wnid, stem = 'n01440764', 'n01440764_10026'
    assert layout.image(wnid, stem) == \
        'data/pinpp/img/n01440764/n01440764_10026.JPEG'
    assert layout.seg_map(wnid, stem) == \
        'data/pinpp/seg/n01440764/n01440764_10026.png'
    assert layout.obj_map(wnid, stem) == \
        'data/pinpp/obj/n01440764/n01440764_10026.png'
    assert layout.pseudo_list(wnid) == \
        'data/pinpp/whether_pseudo/n01440764.txt'
    assert layout.split_list('val') == 'data/pinpp/splits/val.txt'
    assert layout.label_space == 'data/pinpp/label_space.tsv'
    assert layout.report == 'data/pinpp/conversion_report.json'
    assert layout.image_dir == 'data/pinpp/img'
    assert layout.map_dirs == ('data/pinpp/seg', 'data/pinpp/obj')
    # Relative to a data root, as dataset arguments are.
    assert PINPPLayout().split_list('train') == 'splits/train.txt'
    assert PINPPLayout('r', img_dir='../val').image(wnid, stem) == \
        'r/../val/n01440764/n01440764_10026.JPEG'
    assert MAP_IGNORE_INDEX == 65535


def test_sample_keys():
    assert sample_key('n1', 'n1_5') == 'n1/n1_5'
    assert split_sample_key('n1/n1_5') == ('n1', 'n1_5')
    for bad in ('n1_5', '/n1_5', 'n1/'):
        with pytest.raises(ValueError, match='<wnid>/<stem>'):
            split_sample_key(bad)


def test_converter_output_is_where_the_layout_says(toy_pinpp,
                                                   toy_processed):
    _, done = toy_pinpp
    out, report = toy_processed
    layout = PINPPLayout(out)
    assert json.load(open(layout.report))['images'] == report['images']
    assert osp.isfile(layout.label_space)
    keys = []
    for name in SPLIT_NAMES:
        keys += open(layout.split_list(name)).read().split()
    assert len(keys) == 190
    for key in keys[::17]:
        wnid, stem = split_sample_key(key)
        assert wnid in done['classes']
        for path in (layout.image(wnid, stem), layout.seg_map(wnid, stem),
                     layout.obj_map(wnid, stem)):
            assert osp.isfile(path), path
        flags = read_pseudo_flags(layout.pseudo_list(wnid))
        assert flags[f'{stem}.JPEG'] is False


@pytest.mark.parametrize('wnid', ['..', '../../escape_w', '/tmp', 'a/b', ''])
def test_layout_paths_stay_under_their_folder(wnid):
    layout = PINPPLayout('data/pinpp')
    for path_of in (lambda: layout.seg_map(wnid, 'x'),
                    lambda: layout.obj_map(wnid, 'x'),
                    lambda: layout.image(wnid, 'x'),
                    lambda: layout.seg_map('n1', wnid + '/x'),
                    lambda: layout.pseudo_list(wnid + '/x'),
                    lambda: layout.split_list(wnid + '/x')):
        with pytest.raises(ValueError, match='would leave data/pinpp/'):
            path_of()


def test_check_wnid():
    assert check_wnid('n01440764', 'here') == 'n01440764'
    assert check_wnid('toy_cls-1', 'here') == 'toy_cls-1'
    for bad in ('..', '../../escape_w', '/abs', 'a b', '.hidden', ''):
        with pytest.raises(ValueError, match=r't.tsv:3: .* is not a wnid'):
            check_wnid(bad, 't.tsv:3')
