# Copyright (c) mmpart contributors. All rights reserved.
"""The converter's instance files (COCO, and LVIS as the official
benchmark's) against its part maps and report."""
import json
import os.path as osp
from collections import Counter, defaultdict

import cv2
import numpy as np
import pytest
from pycocotools import mask as mask_utils
from pycocotools.coco import COCO

from mmpart.converters.pinpp_instances import LVISNumbering, lvis_frequency
from mmpart.datasets import LabelSpace, PINPPLayout
from mmpart.datasets.layout import SPLIT_NAMES


def _read_map(path):
    return cv2.imread(path, cv2.IMREAD_UNCHANGED)


def test_instances_equal_the_part_maps(toy_processed):
    out, report = toy_processed
    layout = PINPPLayout(out)
    space = LabelSpace.from_file(layout.label_space)
    num_objects = len(space.wnids)
    compared_parts = overlapped = 0
    for split in SPLIT_NAMES:
        coco = COCO(layout.instance_file(split))
        keys = open(layout.split_list(split)).read().split()
        assert [osp.splitext(i['file_name'])[0]
                for i in coco.dataset['images']] == keys
        for image in coco.dataset['images']:
            wnid, stem = osp.splitext(image['file_name'])[0].split('/')
            assert image['wnid'] == wnid
            seg = _read_map(layout.seg_map(wnid, stem))
            assert seg.shape == (image['height'], image['width'])
            anns = coco.imgToAnns[image['id']]
            masks = {a['id']: coco.annToMask(a).astype(bool) for a in anns}
            objects = [a for a in anns if a['category_id'] <= num_objects]
            parts = [a for a in anns if a['category_id'] > num_objects]
            # One object instance: the union of the parts, of its class.
            assert len(objects) == 1
            assert objects[0]['category_id'] == \
                space.object_label[wnid] + 1
            assert np.array_equal(masks[objects[0]['id']], seg > 0)
            covered = np.sum([masks[a['id']] for a in parts], axis=0)
            alone = covered == 1
            overlapped += int((covered > 1).any())
            for ann in parts:
                part_id = ann['category_id'] - num_objects
                assert space.rows[part_id]['wnid'] == wnid
                mask = masks[ann['id']]
                # Where parts do not overlap, the instance is the map's
                # pixels of its part.
                assert np.array_equal(mask & alone,
                                      (seg == part_id) & alone)
                assert ann['area'] == mask.sum()
                x, y, w, h = ann['bbox']
                ys, xs = np.nonzero(mask)
                assert (x, y, w, h) == (xs.min(), ys.min(),
                                        xs.max() - xs.min() + 1,
                                        ys.max() - ys.min() + 1)
                compared_parts += 1
        counts = report['instances'][split]
        assert counts['images'] == len(keys) == len(coco.dataset['images'])
        assert counts['objects'] == len(coco.getAnnIds(
            catIds=list(range(1, num_objects + 1))))
        assert counts['parts'] == len(coco.dataset['annotations']) - \
            counts['objects']
    assert overlapped > 50  # children lie inside their parents
    # Every part annotation of the converted images has an instance.
    assert compared_parts == len(list(_used_release_annotations(out)))


def _used_release_annotations(out):
    """The release's annotations of the images the converter used."""
    root = osp.dirname(osp.realpath(osp.join(out, 'img')))
    used = set()
    for split in SPLIT_NAMES:
        used.update(open(PINPPLayout(out).split_list(split)).read().split())
    release = osp.join(root, 'release', 'json')
    for wnid in {key.split('/')[0] for key in used}:
        coco = json.load(open(osp.join(release, f'{wnid}.json')))
        stems = {i['id']: osp.splitext(osp.basename(i['file_name']))[0]
                 for i in coco['images']}
        for ann in coco['annotations']:
            if f'{wnid}/{stems[ann["image_id"]]}' in used:
                yield ann


def test_instance_categories(toy_processed):
    out, _ = toy_processed
    layout = PINPPLayout(out)
    space = LabelSpace.from_file(layout.label_space)
    categories = json.load(open(layout.instance_file('val')))['categories']
    num_objects = len(space.wnids)
    assert len(categories) == num_objects + space.num_part_classes - 1
    assert [c['id'] for c in categories] == list(
        range(1, len(categories) + 1))
    objects, parts = categories[:num_objects], categories[num_objects:]
    assert [c['name'] for c in objects] == list(space.object_names)
    assert {c['kind'] for c in objects} == {'object'}
    assert [c['name'] for c in parts] == list(space.part_names[1:])
    assert [c['part_id'] for c in parts] == list(
        range(1, space.num_part_classes))
    for cat in parts:
        assert cat['kind'] == 'part'
        assert cat['supercategory'] == \
            space.object_names[space.object_label[cat['wnid']]]


def test_rle_encoding_round_trips():
    from mmpart.converters.pinpp_instances import image_instances
    rng = np.random.default_rng(0)
    a = rng.random((7, 9)) > 0.5
    b = np.zeros((7, 9), bool)
    b[2:4, 3:8] = True
    bodies = image_instances([(5, a), (6, b)])
    assert [body['part_id'] for body in bodies] == [0, 5, 6]
    decoded = [mask_utils.decode(dict(body['segmentation'],
                                      counts=body['segmentation']
                                      ['counts'].encode())).astype(bool)
               for body in bodies]
    assert np.array_equal(decoded[0], a | b)
    assert np.array_equal(decoded[1], a) and np.array_equal(decoded[2], b)
    assert bodies[2]['bbox'] == [3.0, 2.0, 5.0, 2.0]
    assert bodies[2]['area'] == 10
    json.dumps(bodies)  # JSON-ready
    assert image_instances([]) == []


def test_lvis_files_hold_the_coco_instances(toy_processed):
    """Each LVIS-format file has its COCO twin's images (ids included) and
    instances, its categories renumbered parts first, and LVIS's fields:
    the image's absent own parts as negatives, nothing not exhaustive."""
    out, report = toy_processed
    layout = PINPPLayout(out)
    space = LabelSpace.from_file(layout.label_space)
    num_parts, num_objects = space.num_part_classes - 1, len(space.wnids)
    for split in SPLIT_NAMES:
        coco = json.load(open(layout.instance_file(split)))
        lvis = json.load(open(layout.lvis_instance_file(split)))
        categories = lvis['categories']
        assert [c['id'] for c in categories] == list(
            range(1, num_parts + num_objects + 1))
        assert [c['name'] for c in categories] == list(
            space.part_names[1:]) + list(space.object_names)
        assert [c['supercategory'] for c in categories] == \
            ['part'] * num_parts + ['object'] * num_objects
        coco_name = {c['id']: c['name'] for c in coco['categories']}
        lvis_id = {c['name']: c['id'] for c in categories}

        def fields(image):
            return [image[k] for k in ('id', 'file_name', 'width', 'height',
                                       'wnid')]

        assert [fields(i) for i in lvis['images']] == \
            [fields(i) for i in coco['images']]
        assert [(a['id'], a['image_id'], a['category_id'],
                 a['segmentation'], a['area'], a['bbox'])
                for a in lvis['annotations']] == \
            [(a['id'], a['image_id'], lvis_id[coco_name[a['category_id']]],
              a['segmentation'], a['area'], a['bbox'])
             for a in coco['annotations']]
        present = defaultdict(set)
        for ann in lvis['annotations']:
            present[ann['image_id']].add(ann['category_id'])
        for image in lvis['images']:
            # No part is left out here: part category id = global part id.
            own = set(range(*space.part_id_range(image['wnid'])))
            assert image['neg_category_ids'] == sorted(
                own - present[image['id']])
            assert image['not_exhaustive_category_ids'] == []
        assert sum(bool(i['neg_category_ids']) for i in lvis['images']) > 0
        assert report['lvis_instances']['files'][split] == \
            report['instances'][split]
    assert report['lvis_instances']['categories']['part_ids_left_out'] == []


def test_lvis_categories_count_the_train_split(toy_processed):
    from lvis import LVIS
    out, _ = toy_processed
    layout = PINPPLayout(out)
    train = json.load(open(layout.lvis_instance_file('train')))
    images, instances = defaultdict(set), Counter()
    for ann in train['annotations']:
        images[ann['category_id']].add(ann['image_id'])
        instances[ann['category_id']] += 1
    for split in SPLIT_NAMES:
        categories = json.load(open(layout.lvis_instance_file(split)))[
            'categories']
        # The same categories, with the train split's counts, in every file.
        assert categories == train['categories']
    for cat in train['categories']:
        assert cat['image_count'] == len(images[cat['id']])
        assert cat['instance_count'] == instances[cat['id']]
        assert cat['frequency'] == lvis_frequency(cat['image_count'])
    # About 15 train images a class: objects are common, no category is
    # frequent.
    assert {c['frequency'] for c in train['categories']
            if c['supercategory'] == 'object'} == {'c'}
    assert 'f' not in {c['frequency'] for c in train['categories']}
    # The LVIS API reads it.
    api = LVIS(layout.lvis_instance_file('val'))
    assert len(api.get_cat_ids()) == len(train['categories'])


def test_lvis_frequency_is_lvis_rule():
    assert [lvis_frequency(n) for n in (0, 1, 10, 11, 100, 101)] == \
        ['r', 'r', 'r', 'c', 'c', 'f']


def test_lvis_numbering_leaves_out_parts():
    space = LabelSpace.from_part_counts({'n01': 2, 'n02': 3})
    numbering = LVISNumbering.from_label_space(space, [1, 3, 4, 5])
    assert numbering.part_category == {1: 1, 3: 2, 4: 3, 5: 4}
    assert numbering.object_category == {'n01': 5, 'n02': 6}
    assert numbering.left_out == [2]
    assert numbering.class_part_categories('n01') == [1]
    assert numbering.class_part_categories('n02') == [2, 3, 4]
    assert numbering.category_id('n02', 0) == 6
    assert numbering.category_id('n02', 4) == 3
    full = LVISNumbering.from_label_space(space)
    assert full.left_out == [] and full.object_category['n01'] == 6
    with pytest.raises(ValueError, match='not in the label space'):
        LVISNumbering.from_label_space(space, [1, 6])


def test_renumbering_follows_another_class_order(toy_processed):
    """Renumbered to the COCO files' order (a COCO-trained model's labels),
    an LVIS file names each instance as the COCO file does."""
    from mmpart.converters import renumber_lvis_categories
    out, _ = toy_processed
    layout = PINPPLayout(out)
    coco = json.load(open(layout.instance_file('val')))
    lvis = json.load(open(layout.lvis_instance_file('val')))
    classes = [c['name'] for c in coco['categories']]
    renumbered = renumber_lvis_categories(lvis, classes)
    assert [(c['id'], c['name']) for c in renumbered['categories']] == \
        [(c['id'], c['name']) for c in coco['categories']]
    assert [a['category_id'] for a in renumbered['annotations']] == \
        [a['category_id'] for a in coco['annotations']]
    name_of = {c['id']: c['name'] for c in lvis['categories']}
    new_id = {c['name']: c['id'] for c in coco['categories']}
    for before, after in zip(lvis['images'], renumbered['images']):
        assert after['neg_category_ids'] == sorted(
            new_id[name_of[i]] for i in before['neg_category_ids'])
    # The other fields stay; the input is not changed.
    assert renumbered['images'][0]['file_name'] == \
        lvis['images'][0]['file_name']
    assert lvis['categories'][0]['supercategory'] == 'part'
    with pytest.raises(ValueError, match='another label space'):
        renumber_lvis_categories(lvis, classes[:-1] + ['other'])
