# Copyright (c) mmpart contributors. All rights reserved.
import hashlib
import json
import os
import os.path as osp

import cv2
import numpy as np
import pytest
from PIL import Image
from pycocotools import mask as mask_utils

from mmpart.datasets import load_part_counts
from mmpart.toy import make_toy_pinpp


def _tree_digest(root):
    digest = hashlib.sha256()
    for dirpath, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            path = osp.join(dirpath, name)
            digest.update(osp.relpath(path, root).encode())
            with open(path, 'rb') as f:
                digest.update(f.read())
    return digest.hexdigest()


def test_release_shape(toy_pinpp):
    root, done = toy_pinpp
    wnids = done['classes']
    assert len(wnids) == 10 and wnids == sorted(wnids)
    official = load_part_counts()
    names = json.load(open(osp.join(root, 'release', 'category_name.json')))
    for wnid in wnids:
        path = osp.join(root, 'release', 'json', f'{wnid}.json')
        text = open(path).read()
        assert '\n' not in text  # one line
        assert text.startswith('{"images":')
        coco = json.loads(text)
        # Category count follows the official table, 2 to 5 parts.
        assert len(coco['categories']) == official[wnid]
        assert 2 <= official[wnid] <= 5
        assert [c['name'] for c in coco['categories']] == \
            names[wnid]['parts']
        assert [im['id'] for im in coco['images']] == list(range(1, 21))
        for image in coco['images']:
            assert image['file_name'] == \
                f'{wnid}/{wnid}_{image["id"]}.JPEG'
            assert osp.exists(osp.join(root, 'train', image['file_name']))
        cat_ids = {c['id'] for c in coco['categories']}
        for ann in coco['annotations']:
            assert ann['category_id'] in cat_ids
            for poly in ann['segmentation']:
                assert len(poly) >= 6 and len(poly) % 2 == 0
                assert min(poly) >= 0 and max(poly) <= 96
            x, y, w, h = ann['bbox']
            assert w > 0 and h > 0 and ann['iscrowd'] == 0
    # Unannotated train images and val images, listed with labels.
    train = open(osp.join(root, 'meta', 'train.txt')).read().split('\n')
    assert len([t for t in train if t]) == 10 * 50
    val = [v for v in open(osp.join(root, 'meta', 'val.txt')).read()
           .split('\n') if v]
    assert len(val) == 100
    file_name, label = val[-1].split()
    assert file_name.startswith(wnids[9] + '/ILSVRC2012_val_')
    assert label == '9'
    assert osp.exists(osp.join(root, 'val', file_name))


def test_including_files_and_overlap(toy_pinpp):
    root, done = toy_pinpp
    files = sorted(os.listdir(osp.join(root, 'release', 'including')))
    assert 0 < len(files) < 10  # some classes only, as in the release
    checked = 0
    for name in files:
        wnid = name[:-4]
        raw = open(osp.join(root, 'release', 'including', name),
                   'rb').read()
        lines = raw.split(b'\r\n')
        assert b'\n' not in raw.replace(b'\r\n', b'')  # CRLF only
        relations = [line.decode().split(':') for line in lines if line]
        coco = json.load(open(osp.join(root, 'release', 'json', name[:-4] +
                                       '.json')))
        ids = {c['name']: c['id'] for c in coco['categories']}
        for child, parent in relations:
            assert child in ids and parent in ids
            # The child's pixels lie inside its parent where both exist.
            for image in coco['images']:
                anns = {a['category_id']: a for a in coco['annotations']
                        if a['image_id'] == image['id']}
                if ids[child] not in anns or ids[parent] not in anns:
                    continue
                masks = [
                    mask_utils.decode(
                        mask_utils.merge(
                            mask_utils.frPyObjects(
                                anns[ids[k]]['segmentation'], 96, 96)))
                    for k in (child, parent)
                ]
                inside = (masks[0] & masks[1]).sum() / masks[0].sum()
                assert inside > 0.95, (wnid, child, parent, inside)
                checked += 1
    assert checked > 0


def test_quirk_images(toy_pinpp):
    root, done = toy_pinpp
    kinds = {v: k for k, v in done['quirk_files'].items()}
    assert set(kinds) == {'grayscale', 'cmyk', 'png'}
    with Image.open(osp.join(root, 'train', kinds['grayscale'])) as im:
        assert im.format == 'JPEG' and im.mode == 'L'
    with Image.open(osp.join(root, 'train', kinds['cmyk'])) as im:
        assert im.format == 'JPEG' and im.mode == 'CMYK'
    with Image.open(osp.join(root, 'train', kinds['png'])) as im:
        assert im.format == 'PNG'
    discarded = json.load(
        open(osp.join(root, 'release', 'discarded_data.json')))
    assert sorted(discarded) == done['classes']


def test_images_show_parts(toy_pinpp):
    """Each annotated part is visible: its mean colour differs from the
    parts it touches, and the image is not blank."""
    root, done = toy_pinpp
    wnid = done['classes'][3]
    coco = json.load(open(osp.join(root, 'release', 'json', f'{wnid}.json')))
    image = coco['images'][4]
    img = cv2.imread(osp.join(root, 'train', image['file_name']))
    assert img.shape == (96, 96, 3) and img.std() > 10
    anns = [a for a in coco['annotations'] if a['image_id'] == image['id']]
    means = []
    for ann in anns:
        m = mask_utils.decode(
            mask_utils.merge(
                mask_utils.frPyObjects(ann['segmentation'], 96, 96)))
        # Erode to avoid anti-aliased edges and overlapping children.
        m = cv2.erode(m, np.ones((3, 3), np.uint8))
        if m.sum() > 20:
            means.append(img[m.astype(bool)].mean(0))
    assert len(means) >= 2
    gaps = [np.abs(a - b).max() for i, a in enumerate(means)
            for b in means[i + 1:]]
    assert min(gaps) > 10


def test_deterministic_and_idempotent(tmp_path):
    kwargs = dict(num_classes=3, annotated_per_class=3,
                  unannotated_per_class=1, val_per_class=1, image_size=48,
                  seed=5, quirks=True)
    a, b = str(tmp_path / 'a'), str(tmp_path / 'b')
    make_toy_pinpp(a, **kwargs)
    make_toy_pinpp(b, **kwargs)
    assert _tree_digest(a) == _tree_digest(b)
    # A second call with the same arguments writes nothing new.
    stamp = osp.join(a, 'toy_pinpp.json')
    before = os.stat(stamp).st_mtime_ns
    make_toy_pinpp(a, **kwargs)
    assert os.stat(stamp).st_mtime_ns == before
    # Other arguments into the same folder: refused unless overwrite.
    with pytest.raises(FileExistsError, match='other arguments'):
        make_toy_pinpp(a, **dict(kwargs, seed=6))
    make_toy_pinpp(a, overwrite=True, **dict(kwargs, seed=6))
    assert _tree_digest(a) != _tree_digest(b)
    # A foreign non-empty folder is never written into.
    foreign = tmp_path / 'foreign'
    foreign.mkdir()
    (foreign / 'keep.txt').write_text('x')
    with pytest.raises(FileExistsError, match='not empty'):
        make_toy_pinpp(str(foreign), **kwargs)


def test_rejects_impossible_sizes(tmp_path):
    with pytest.raises(ValueError, match='parts must satisfy'):
        make_toy_pinpp(str(tmp_path / 'x'), min_parts=3, max_parts=2)
    with pytest.raises(ValueError, match='only'):
        make_toy_pinpp(str(tmp_path / 'y'), num_classes=2000)
