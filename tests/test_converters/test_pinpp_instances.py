# Copyright (c) mmpart contributors. All rights reserved.
"""The converter's COCO instance files against its part maps and report."""
import json
import os.path as osp

import cv2
import numpy as np
from pycocotools import mask as mask_utils
from pycocotools.coco import COCO

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
