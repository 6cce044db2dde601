# Copyright (c) mmpart contributors. All rights reserved.
import hashlib
import json
import os
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest
from pycocotools import mask as mask_utils
from pycocotools.coco import COCO

import mmpart.converters.pinpp_image as image_module
from mmpart.converters import PINPPConverter, PINPPFormatError
from mmpart.datasets import (LabelSpace, PINPPLayout, load_part_counts,
                             part_id_offsets)
from mmpart.toy import make_toy_pinpp
from mmpart.utils.atomic_io import TMP_MARKER
from ..conftest import PROJECT_ROOT


def _read_map(path):
    part_map = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    assert part_map is not None and part_map.dtype == np.uint16
    return part_map


def _reference_map(coco, image_id, offset, including_path):
    """Paint pycocotools' per-annotation masks: parents first (depth from
    including/), then annotation order."""
    names = [c['name'] for c in coco.dataset['categories']]
    parent = {}
    if osp.exists(including_path):
        for line in open(including_path, newline='').read().splitlines():
            if line:
                child, par = line.split(':')
                parent[child] = par

    def depth(name):
        return 0 if name not in parent else 1 + depth(parent[name])

    position = {c['id']: i for i, c in enumerate(coco.dataset['categories'])}
    info = coco.imgs[image_id]
    ref = np.zeros((info['height'], info['width']), np.uint16)
    anns = coco.imgToAnns[image_id]
    order = sorted(range(len(anns)),
                   key=lambda i: depth(names[position[
                       anns[i]['category_id']]]))
    for i in order:
        ann = anns[i]
        ref[coco.annToMask(ann).astype(bool)] = \
            offset + position[ann['category_id']]
    return ref


def _tree(root, skip=('conversion_report.json', )):
    files = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            path = osp.join(dirpath, name)
            if name in skip or osp.islink(path):
                continue
            with open(path, 'rb') as f:
                files[osp.relpath(path, root)] = hashlib.sha256(
                    f.read()).hexdigest()
    return files


def test_masks_equal_pycocotools_composition(toy_pinpp, toy_processed):
    root, done = toy_pinpp
    out, report = toy_processed
    counts = load_part_counts(osp.join(root, 'meta', 'part_counts.tsv'))
    offsets = part_id_offsets(counts)
    compared = overlapping = 0
    for wnid in done['classes']:
        coco = COCO(osp.join(root, 'release', 'json', f'{wnid}.json'))
        including = osp.join(root, 'release', 'including', f'{wnid}.txt')
        for image_id, info in coco.imgs.items():
            stem = osp.splitext(osp.basename(info['file_name']))[0]
            path = osp.join(out, 'seg', wnid, f'{stem}.png')
            if not osp.exists(path):
                continue
            ref = _reference_map(coco, image_id, offsets[wnid], including)
            assert np.array_equal(_read_map(path), ref), path
            obj = _read_map(osp.join(out, 'obj', wnid, f'{stem}.png'))
            assert np.array_equal(
                obj, (ref > 0) * (done['classes'].index(wnid) + 1))
            compared += 1
            masks = [coco.annToMask(a) for a in coco.imgToAnns[image_id]]
            overlapping += int((np.sum(masks, axis=0) > 1).any())
    # Every annotated image but the discarded one per class.
    assert compared == 10 * 19
    assert overlapping > 50  # the paint order matters on real overlaps
    assert report['images']['converted'] == 190
    assert report['images']['discarded'] == 10


def test_lists_and_label_space(toy_pinpp, toy_processed):
    root, done = toy_pinpp
    out, report = toy_processed
    splits = {
        name: open(osp.join(out, 'splits', f'{name}.txt')).read().split()
        for name in ('train', 'val', 'test')
    }
    # 19 converted images per class: round(1.9) = 2 val, 2 test, 15 train.
    assert [len(splits[n]) for n in ('train', 'val', 'test')] == \
        [150, 20, 20]
    assert report['splits'] == dict(train=150, val=20, test=20)
    everything = splits['train'] + splits['val'] + splits['test']
    assert len(set(everything)) == 190
    for wnid in done['classes']:
        assert sum(k.startswith(wnid) for k in splits['val']) == 2
    lines = open(osp.join(out, 'whether_pseudo',
                          f'{done["classes"][0]}.txt')).read().splitlines()
    assert len(lines) == 19 and all(line.endswith('.JPEG 0')
                                    for line in lines)
    rows = [line.split('\t') for line in
            open(osp.join(out, 'label_space.tsv')).read().splitlines()]
    assert rows[0] == ['id', 'wnid', 'object', 'part', 'parent']
    assert rows[1] == ['0', '-', 'background', 'background', '-']
    names = json.load(open(osp.join(root, 'release',
                                    'category_name.json')))
    first = done['classes'][0]
    assert rows[2][1:4] == [first, names[first]['object'],
                            names[first]['parts'][0]]
    assert osp.realpath(osp.join(out, 'img')) == \
        osp.realpath(osp.join(root, 'train'))


def test_official_ids_follow_the_counts_table(toy_pinpp, tmp_path):
    """With the official table, ids sit in the 3311-class space at each
    class's block: 1 + the counts of the wnids sorted before it."""
    root, done = toy_pinpp
    out = str(tmp_path / 'official')
    report = PINPPConverter(
        osp.join(root, 'release'), osp.join(root, 'train'), out).run()
    assert report['num_part_classes'] == 3311
    # 990 classes have no file in the toy release: reported, not fatal.
    assert report['problems']['class_file_missing']['count'] == 990
    counts = load_part_counts()
    wnids = list(counts)
    for wnid in done['classes']:
        offset = 1 + sum(counts[w] for w in wnids[:wnids.index(wnid)])
        stem = f'{wnid}_2'
        ids = set(np.unique(_read_map(osp.join(out, 'seg', wnid,
                                               f'{stem}.png')))) - {0}
        assert ids and min(ids) >= offset and \
            max(ids) < offset + counts[wnid]
    rows = open(osp.join(out, 'label_space.tsv')).read().splitlines()
    assert len(rows) == 1 + 3311


def test_interrupted_run_resumes_byte_identical(toy_pinpp, tmp_path,
                                                monkeypatch):
    root, _ = toy_pinpp
    args = (osp.join(root, 'release'), osp.join(root, 'train'))
    kwargs = dict(part_counts=osp.join(root, 'meta', 'part_counts.tsv'),
                  object_masks=True, instances=True)
    straight = str(tmp_path / 'straight')
    PINPPConverter(*args, straight, **kwargs).run()

    resumed = str(tmp_path / 'resumed')
    real_write = image_module.atomic_write_bytes
    calls = dict(n=0)

    def crash_after_some_files(path, data):
        calls['n'] += 1
        if calls['n'] == 101:
            # Die half-way through writing: a temporary file is left.
            with open(path + TMP_MARKER + '999', 'wb') as f:
                f.write(data[:10])
            raise KeyboardInterrupt
        real_write(path, data)

    monkeypatch.setattr(image_module, 'atomic_write_bytes',
                        crash_after_some_files)
    with pytest.raises(KeyboardInterrupt):
        PINPPConverter(*args, resumed, **kwargs).run()
    monkeypatch.undo()
    partial = _tree(resumed)
    assert 0 < len(partial) < len(_tree(straight))
    assert not osp.exists(osp.join(resumed, 'splits'))

    report = PINPPConverter(*args, resumed, **kwargs).run(workers=2)
    assert report['images']['already_done'] == 50  # 100 files = 50 images
    assert report['images']['converted'] == 140
    assert report['stale_tmp_files_removed'] == 1
    assert _tree(resumed) == _tree(straight)
    # A third run converts nothing and changes nothing.
    report = PINPPConverter(*args, resumed, **kwargs).run()
    assert report['images'] == dict(already_done=190, discarded=10)
    assert _tree(resumed) == _tree(straight)


@pytest.fixture
def small_release(tmp_path):
    """Two classes, three annotated images each, 48 px, to break."""
    root = str(tmp_path / 'toy')
    done = make_toy_pinpp(root, num_classes=2, annotated_per_class=3,
                          unannotated_per_class=0, val_per_class=0,
                          image_size=48, seed=3)
    wnid = done['classes'][0]
    json_path = osp.join(root, 'release', 'json', f'{wnid}.json')
    return root, wnid, json_path


def _convert(root, out, **kwargs):
    conv = PINPPConverter(
        osp.join(root, 'release'), osp.join(root, 'train'), out,
        part_counts=osp.join(root, 'meta', 'part_counts.tsv'), **kwargs)
    return conv.run()


def _edit(json_path, fn):
    coco = json.load(open(json_path))
    fn(coco)
    with open(json_path, 'w') as f:
        json.dump(coco, f)


def _first_image_map(out, wnid):
    return _read_map(osp.join(out, 'seg', wnid, f'{wnid}_1.png'))


def test_zero_based_category_ids(small_release, tmp_path):
    root, wnid, json_path = small_release
    _convert(root, str(tmp_path / 'one'))

    def shift(coco):
        for cat in coco['categories']:
            cat['id'] -= 1
        for ann in coco['annotations']:
            ann['category_id'] -= 1

    _edit(json_path, shift)
    _convert(root, str(tmp_path / 'zero'))
    assert np.array_equal(_first_image_map(str(tmp_path / 'zero'), wnid),
                          _first_image_map(str(tmp_path / 'one'), wnid))


def test_bad_and_empty_polygons_are_counted(small_release, tmp_path):
    root, wnid, json_path = small_release
    clean = _first_image_map(_convert_and_path(root, tmp_path / 'a'), wnid)

    def spoil(coco):
        anns = [a for a in coco['annotations'] if a['image_id'] == 1]
        anns[0]['segmentation'].append([1, 2, 3, 4])  # < 6 coordinates
        anns[0]['segmentation'].append([1, 2, 3, 4, 5, 6, 7])  # odd
        coco['annotations'].append(dict(anns[1], id=999, segmentation=[]))

    _edit(json_path, spoil)
    out = str(tmp_path / 'b')
    report = _convert(root, out, instances=True)
    assert report['annotations']['polygon_invalid'] == 2
    assert report['annotations']['annotation_empty'] == 1
    assert report['images']['converted'] == 6
    assert np.array_equal(_first_image_map(out, wnid), clean)
    # The instance files skip the same annotation: one part instance per
    # annotation of the six images, but the empty one.
    release_parts = sum(
        len(json.load(open(osp.join(root, 'release', 'json', f))
                      )['annotations'])
        for f in os.listdir(osp.join(root, 'release', 'json')))
    counts = report['instances']
    assert sum(c['parts'] for c in counts.values()) == release_parts - 1
    assert sum(c['objects'] for c in counts.values()) == 6


def _convert_and_path(root, out):
    _convert(root, str(out))
    return str(out)


def test_coordinates_outside_are_clipped(small_release, tmp_path):
    root, wnid, json_path = small_release

    def stretch(coco):
        ann = [a for a in coco['annotations'] if a['image_id'] == 1][0]
        ann['segmentation'] = [[-10.0, -10.0, 30.0, -5.0, 30.0, 80.0]]

    _edit(json_path, stretch)
    out = str(tmp_path / 'out')
    report = _convert(root, out)
    assert report['annotations']['polygon_clipped'] == 1
    expected = mask_utils.decode(
        mask_utils.merge(
            mask_utils.frPyObjects([[0.0, 0.0, 30.0, 0.0, 30.0, 48.0]], 48,
                                   48)))
    part_map = _first_image_map(out, wnid)
    assert part_map.shape == (48, 48)
    # The clipped triangle is painted (children may cover parts of it).
    assert (part_map[expected.astype(bool)] > 0).mean() > 0.9


def test_rle_segmentations(small_release, tmp_path):
    root, wnid, json_path = small_release
    clean = _first_image_map(_convert_and_path(root, tmp_path / 'a'), wnid)

    def to_rle(coco):
        for i, ann in enumerate(a for a in coco['annotations']
                                if a['image_id'] == 1):
            rle = mask_utils.merge(
                mask_utils.frPyObjects(ann['segmentation'], 48, 48))
            if i % 2:  # compressed, as a string
                rle['counts'] = rle['counts'].decode()
                ann['segmentation'] = rle
            else:  # uncompressed counts list
                m = mask_utils.decode(rle)
                flat = m.flatten(order='F')
                runs, value, length = [], 0, 0
                for v in flat:
                    if v == value:
                        length += 1
                    else:
                        runs.append(length)
                        value, length = v, 1
                runs.append(length)
                ann['segmentation'] = dict(counts=runs, size=[48, 48])

    _edit(json_path, to_rle)
    out = str(tmp_path / 'b')
    _convert(root, out)
    assert np.array_equal(_first_image_map(out, wnid), clean)


def test_missing_unreadable_and_resized_images(small_release, tmp_path):
    root, wnid, _ = small_release
    train = osp.join(root, 'train', wnid)
    os.remove(osp.join(train, f'{wnid}_1.JPEG'))
    with open(osp.join(train, f'{wnid}_2.JPEG'), 'wb') as f:
        f.write(b'\xff\xd8\xff\xe0 not really a jpeg')
    cv2.imwrite(osp.join(train, f'{wnid}_3.JPEG'),
                np.zeros((20, 30, 3), np.uint8))
    out = str(tmp_path / 'out')
    report = _convert(root, out)
    assert report['images'] == dict(converted=3, image_missing=1,
                                    image_unreadable=1,
                                    image_size_mismatch=1)
    assert report['problems']['image_missing']['examples'] == \
        [f'{wnid}/{wnid}_1']
    assert not osp.exists(osp.join(out, 'seg', wnid))
    saved = json.load(open(osp.join(out, 'conversion_report.json')))
    assert saved['images'] == report['images']


def test_damaged_jpegs_are_counted(small_release, tmp_path):
    """Images cv2 would decode with wrong pixels (only printing "Corrupt
    JPEG data") or crash on (zero bytes) are found and reported."""
    root, wnid, _ = small_release
    train = osp.join(root, 'train', wnid)
    paths = [osp.join(train, f'{wnid}_{i}.JPEG') for i in (1, 2, 3)]
    data = open(paths[2], 'rb').read()
    half = len(data) // 2
    damaged = [b'', data[:half],
               data[:half] + bytes(range(200)) + data[half + 200:]]
    for path, content in zip(paths, damaged):
        with open(path, 'wb') as f:
            f.write(content)
    report = _convert(root, str(tmp_path / 'out'))
    assert report['images'] == dict(converted=3, image_corrupt=1,
                                    image_unreadable=2)
    assert report['problems']['image_unreadable']['examples'] == \
        [f'{wnid}/{wnid}_1', f'{wnid}/{wnid}_2']
    assert report['problems']['image_corrupt']['examples'] == \
        [f'{wnid}/{wnid}_3']


def test_discarded_images_are_skipped(small_release, tmp_path):
    root, wnid, _ = small_release
    with open(osp.join(root, 'release', 'discarded_data.json'), 'w') as f:
        json.dump({wnid: [f'{wnid}/{wnid}_2.JPEG']}, f)
    out = str(tmp_path / 'out')
    report = _convert(root, out)
    assert report['images'] == dict(converted=5, discarded=1)
    assert not osp.exists(osp.join(out, 'seg', wnid, f'{wnid}_2.png'))
    assert f'{wnid}/{wnid}_2' not in open(
        osp.join(out, 'splits', 'train.txt')).read()


def test_part_count_mismatch(small_release, tmp_path):
    root, wnid, json_path = small_release
    _edit(json_path, lambda coco: coco['categories'].append(
        dict(id=len(coco['categories']) + 1, name='extra')))
    report = _convert(root, str(tmp_path / 'lenient'))
    problem = report['problems']['part_count_mismatch']
    assert problem['count'] == 1
    assert 'the part-count table says' in problem['examples'][0]
    with pytest.raises(PINPPFormatError, match=rf'{wnid}.json: \d+ categ'):
        _convert(root, str(tmp_path / 'strict'), strict=True)


def test_lvis_files_leave_out_table_ids_without_a_category(
        small_release, tmp_path):
    """A class file with one category fewer than the table (as the
    release's 3308 part categories against the table's 3310): the COCO
    files keep the table's ids, the LVIS files number only the parts the
    release defines, parts first, and the report names the id left out."""
    root, wnid, json_path = small_release

    def drop_last_category(coco):
        last = coco['categories'].pop()
        coco['annotations'] = [
            a for a in coco['annotations'] if a['category_id'] != last['id']
        ]

    _edit(json_path, drop_last_category)
    out = str(tmp_path / 'out')
    report = _convert(root, out, instances=True,
                      instance_formats=('coco', 'lvis'))
    assert report['problems']['part_count_mismatch']['count'] == 1
    counts = load_part_counts(osp.join(root, 'meta', 'part_counts.tsv'))
    left_out = part_id_offsets(counts)[wnid] + counts[wnid] - 1
    summary = report['lvis_instances']['categories']
    assert summary['part_ids_left_out'] == [left_out]
    assert (summary['parts'], summary['objects']) == (
        sum(counts.values()) - 1, len(counts))
    layout = PINPPLayout(out)
    coco = json.load(open(layout.instance_file('train')))
    assert len(coco['categories']) == sum(counts.values()) + len(counts)
    lvis = json.load(open(layout.lvis_instance_file('train')))
    categories = lvis['categories']
    assert [c['id'] for c in categories] == list(
        range(1, len(categories) + 1))
    parts = [c['part_id'] for c in categories if c['supercategory'] == 'part']
    assert parts == [p for p in range(1, sum(counts.values()) + 1)
                     if p != left_out]
    assert [c['wnid'] for c in categories[len(parts):]] == list(counts)
    assert report['lvis_instances']['files']['train'] == \
        report['instances']['train']


def test_unknown_category_is_a_reported_skip(small_release, tmp_path):
    root, wnid, json_path = small_release
    clean = _first_image_map(_convert_and_path(root, tmp_path / 'clean'),
                             wnid)
    offset = part_id_offsets(
        load_part_counts(osp.join(root, 'meta', 'part_counts.tsv')))[wnid]
    coco = json.load(open(json_path))
    position = {c['id']: i for i, c in enumerate(coco['categories'])}
    # An annotation of image 1 whose part shows in its map (one annotation
    # per part in the toy set) now names a category the file lacks.
    bad = next(a for a in coco['annotations'] if a['image_id'] == 1 and
               offset + position[a['category_id']] in clean)
    bad_id, bad_part = bad['id'], offset + position[bad['category_id']]
    _edit(json_path, lambda coco: [
        a.update(category_id=77) for a in coco['annotations']
        if a['id'] == bad_id
    ])
    out = str(tmp_path / 'lenient')
    report = _convert(root, out)
    problem = report['problems']['annotation_unknown_category']
    assert problem['count'] == 1
    assert problem['examples'] == [
        f'{json_path}: annotation {bad_id} has category_id 77, not one of '
        f'{list(range(1, len(coco["categories"]) + 1))}'
    ]
    # The image is still converted, without that annotation.
    assert report['images']['converted'] == 6
    part_map = _first_image_map(out, wnid)
    assert bad_part not in part_map
    assert set(np.unique(part_map)) == set(np.unique(clean)) - {bad_part}
    with pytest.raises(PINPPFormatError,
                       match=rf'{wnid}.json: annotation {bad_id} has '
                       'category_id 77'):
        _convert(root, str(tmp_path / 'strict'), strict=True)


def test_bad_json_names_the_file(small_release, tmp_path):
    root, wnid, json_path = small_release
    with open(json_path, 'w') as f:
        f.write('{"images": [')
    with pytest.raises(PINPPFormatError,
                       match=rf'{wnid}.json:1: not valid JSON'):
        _convert(root, str(tmp_path / 'b'))
    assert not osp.exists(tmp_path / 'b')


@pytest.mark.parametrize('broken', ['release', 'train', 'json'])
def test_missing_input_folder_fails_before_writing(small_release, tmp_path,
                                                   broken):
    root, _, _ = small_release
    release, train = osp.join(root, 'release'), osp.join(root, 'train')
    missing = dict(release=release + '_typo', train=train + '_typo',
                   json=str(tmp_path / 'empty_release'))[broken]
    if broken == 'json':
        os.makedirs(missing)
        release = missing
    elif broken == 'release':
        release = missing
    else:
        train = missing
    out = str(tmp_path / 'out')
    with pytest.raises(FileNotFoundError, match=missing):
        PINPPConverter(release, train, out)
    assert not osp.exists(out)


@pytest.mark.slow
def test_script_exits_on_a_missing_folder(small_release, tmp_path):
    root, _, _ = small_release
    missing = osp.join(root, 'relaese')
    out = str(tmp_path / 'out')
    proc = subprocess.run(
        [sys.executable, 'tools/dataset_converters/pinpp.py', missing,
         osp.join(root, 'train'), out],
        cwd=PROJECT_ROOT, env=dict(os.environ, PYTHONPATH=PROJECT_ROOT),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.returncode != 0
    assert f'PIN++ release folder {missing} does not exist' in proc.stderr
    assert 'Traceback' not in proc.stderr
    assert not osp.exists(out)


def test_unknown_part_in_including(small_release, tmp_path):
    root, wnid, _ = small_release
    with open(osp.join(root, 'release', 'including', f'{wnid}.txt'),
              'w', newline='') as f:
        f.write('antenna:body\r\n')
    report = _convert(root, str(tmp_path / 'a'))
    assert report['problems']['inclusion_unknown_part']['count'] == 1
    with pytest.raises(PINPPFormatError, match='antenna:body'):
        _convert(root, str(tmp_path / 'b'), strict=True)


def test_non_utf8_including_names_the_file_and_line(small_release,
                                                    tmp_path):
    root, wnid, _ = small_release
    with open(osp.join(root, 'release', 'including', f'{wnid}.txt'),
              'wb') as f:
        f.write(b'head:body\r\nn\xe4se:head\r\n')
    with pytest.raises(PINPPFormatError,
                       match=rf'including/{wnid}.txt:2: not UTF-8'):
        _convert(root, str(tmp_path / 'out'))


def test_tab_in_a_part_name_is_reported_and_readable(small_release,
                                                     tmp_path):
    root, wnid, json_path = small_release

    def tab_name(coco):
        coco['categories'][0]['name'] = 'left\tfin'

    _edit(json_path, tab_name)
    parent = json.load(open(json_path))['categories'][1]['name']
    with open(osp.join(root, 'release', 'including', f'{wnid}.txt'),
              'w', newline='') as f:
        f.write(f'left\tfin:{parent}\r\n')
    out = str(tmp_path / 'out')
    report = _convert(root, out)
    problem = report['problems']['name_with_separator']
    assert problem['count'] == 1
    assert "'left\\tfin'" in problem['examples'][0]
    assert 'inclusion_unknown_part' not in report['problems']
    space = LabelSpace.from_file(PINPPLayout(out).label_space)
    row = space.rows[space.part_offsets[wnid]]
    assert (row['part'], row['parent']) == ('left fin', parent)
    with pytest.raises(PINPPFormatError, match='tab or line break'):
        _convert(root, str(tmp_path / 'strict'), strict=True)


def test_rerun_keeps_pseudo_lines(small_release, tmp_path):
    root, wnid, _ = small_release
    out = str(tmp_path / 'out')
    _convert(root, out)
    path = osp.join(out, 'whether_pseudo', f'{wnid}.txt')
    with open(path) as f:
        human = f.read()
    first_human = human.split()[0]
    # A pseudo labeller added a mask; another claims a human image.
    with open(path, 'a') as f:
        f.write(f'{wnid}_999.JPEG 1\n{first_human} 1\n')
    _convert(root, out)
    with open(path) as f:
        lines = f.read().splitlines()
    assert f'{wnid}_999.JPEG 1' in lines
    assert f'{first_human} 0' in lines
    assert sorted(line for line in human.splitlines()) == sorted(
        line for line in lines if not line.endswith(' 1'))


def test_wnid_leaving_the_folders_is_refused(small_release, tmp_path):
    root, wnid, _ = small_release
    table = osp.join(root, 'meta', 'part_counts.tsv')
    with open(table, 'a') as f:
        f.write('../../escape_w\t2\n')
    out = str(tmp_path / 'out')
    with pytest.raises(ValueError, match='is not a wnid'):
        _convert(root, out)
    assert not osp.exists(out)


def test_progress_of_reading_and_converting(small_release, tmp_path,
                                            capsys):
    root, _, _ = small_release
    _convert(root, str(tmp_path / 'out'))
    out = capsys.readouterr().out
    reading, converting = out.split('Converting 6 images into ')
    assert 'Reading the 2 class files of ' in reading
    assert '2/2,' in reading and 'ETA' in reading
    assert '6/6,' in converting and 'task/s' in converting
