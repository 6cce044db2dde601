# Copyright (c) mmpart contributors. All rights reserved.
import json
import os.path as osp

import numpy as np
import pycocotools.mask as mask_util
import pytest
import torch

from mmpart.evaluation import PINPPInstanceMetric
from mmpart.registry import METRICS

SIZE = 32
#: (wnid, name, part names): two objects share a name, parts repeat names.
OBJECTS = [('n001', 'crane', ['head', 'body']),
           ('n002', 'crane', ['head', 'neck', 'body']),
           ('n003', 'dog', ['head', 'tail'])]
NUM_IMAGES = 8


def _categories():
    """PIN++ categories: objects (ids 1..O), then parts (O + part_id)."""
    categories = [
        dict(id=i + 1, name=name, supercategory=name, wnid=wnid,
             kind='object', part_id=0)
        for i, (wnid, name, _) in enumerate(OBJECTS)
    ]
    for wnid, name, parts in OBJECTS:
        for part in parts:
            part_id = len(categories) - len(OBJECTS) + 1
            categories.append(
                dict(id=len(OBJECTS) + part_id, name=part, supercategory=name,
                     wnid=wnid, kind='part', part_id=part_id))
    return categories


def _annotation(ann_id, img_id, cat_id, mask):
    rle = mask_util.encode(np.asfortranarray(mask.astype(np.uint8)))
    return dict(id=ann_id, image_id=img_id, category_id=cat_id, iscrowd=0,
                area=int(mask.sum()),
                bbox=[float(v) for v in mask_util.toBbox(rle)],
                segmentation=dict(size=rle['size'],
                                  counts=rle['counts'].decode()))


@pytest.fixture(scope='module')
def ann_file(tmp_path_factory):
    """An ``instances_val.json`` as mmpart's converter writes it: one object
    per image, its parts horizontal strips of it."""
    rng = np.random.default_rng(0)
    categories = _categories()
    images, annotations = [], []
    for img_id in range(1, NUM_IMAGES + 1):
        obj = (img_id - 1) % len(OBJECTS)
        wnid = OBJECTS[obj][0]
        images.append(dict(id=img_id, file_name=f'{wnid}/{wnid}_{img_id}.JPEG',
                           width=SIZE, height=SIZE, wnid=wnid))
        x0, y0 = rng.integers(0, 8, size=2)
        x1, y1 = rng.integers(24, SIZE + 1, size=2)
        mask = np.zeros((SIZE, SIZE), dtype=bool)
        mask[y0:y1, x0:x1] = True
        annotations.append(
            _annotation(len(annotations) + 1, img_id, obj + 1, mask))
        parts = [c for c in categories
                 if c['kind'] == 'part' and c['wnid'] == wnid]
        bounds = np.linspace(y0, y1, len(parts) + 1).astype(int)
        for part, top, bottom in zip(parts, bounds[:-1], bounds[1:]):
            part_mask = np.zeros_like(mask)
            part_mask[top:bottom, x0:x1] = True
            annotations.append(
                _annotation(len(annotations) + 1, img_id, part['id'],
                            part_mask))
    path = tmp_path_factory.mktemp('pinpp') / 'instances_val.json'
    path.write_text(
        json.dumps(dict(images=images, annotations=annotations,
                        categories=categories)))
    return str(path)


def _gt(ann_file):
    with open(ann_file) as f:
        return json.load(f)


def _sample(img_id, anns, cat_ids, score=1.):
    """A data sample as a detector's test step gives it: ``anns`` (COCO
    annotations) predicted with ``score``, labels indexing ``cat_ids``."""
    boxes = [[x, y, x + w, y + h] for x, y, w, h in (a['bbox'] for a in anns)]
    masks = [
        mask_util.decode(dict(size=a['segmentation']['size'],
                              counts=a['segmentation']['counts'].encode()))
        for a in anns
    ]
    return dict(
        img_id=img_id,
        ori_shape=(SIZE, SIZE),
        pred_instances=dict(
            bboxes=torch.tensor(boxes, dtype=torch.float32).reshape(-1, 4),
            scores=torch.full((len(anns), ), score),
            labels=torch.tensor(
                [cat_ids.index(a['category_id']) for a in anns],
                dtype=torch.long),
            masks=torch.from_numpy(
                np.array(masks, dtype=bool).reshape(-1, SIZE, SIZE))))


def _evaluate(ann_file, classes, samples, **kwargs):
    metric = METRICS.build(
        dict(type='PINPPInstanceMetric', ann_file=ann_file, **kwargs))
    metric.dataset_meta = dict(classes=classes)
    metric.process({}, samples)
    return metric.evaluate(size=len(samples))


def _perfect(gt, cat_ids, img_ids, score=1.):
    """The ground truths of ``cat_ids`` on ``img_ids`` as predictions."""
    return [
        _sample(img_id, [
            a for a in gt['annotations']
            if a['image_id'] == img_id and a['category_id'] in cat_ids
        ], cat_ids, score) for img_id in img_ids
    ]


def test_perfect_predictions(ann_file):
    gt = _gt(ann_file)
    classes = [c['name'] for c in gt['categories']]
    cat_ids = [c['id'] for c in gt['categories']]
    results = _evaluate(ann_file, classes,
                        _perfect(gt, cat_ids, range(1, NUM_IMAGES + 1)))
    for group in ('object', 'part', 'part_given_object'):
        for iou_type in ('bbox', 'segm'):
            key = f'coco/{group}/{iou_type}'
            assert results[f'{key}_mAP'] == 1.0
            assert results[f'{key}_mAP_50'] == 1.0
            assert results[f'{key}_mAP_s'] == 1.0
            assert results[f'{key}_mAP_l'] == -1.0  # no large instance


def test_only_processed_images(ann_file):
    """A run on a subset is evaluated on that subset: the others' ground
    truths are not missed detections."""
    gt = _gt(ann_file)
    classes = [c['name'] for c in gt['categories']]
    cat_ids = [c['id'] for c in gt['categories']]
    results = _evaluate(ann_file, classes, _perfect(gt, cat_ids, [2, 3, 5]),
                        metric='segm')
    assert results['coco/part/segm_mAP'] == 1.0
    assert results['coco/object/segm_mAP'] == 1.0
    assert not any('bbox' in key for key in results)


def test_other_objects_parts(ann_file):
    """A confident part of another object on an image counts against
    ``part`` but is dropped by ``part_given_object``."""
    gt = _gt(ann_file)
    cats = {c['id']: c for c in gt['categories']}
    classes = [c['name'] for c in gt['categories']]
    cat_ids = list(cats)
    samples = _perfect(gt, cat_ids, range(1, NUM_IMAGES + 1), score=.9)
    image_1_head = next(a for a in gt['annotations']
                        if a['image_id'] == 1 and a['category_id'] == 4)
    other_neck = next(k for k, c in cats.items()
                      if c['wnid'] == 'n002' and c['name'] == 'neck')
    wrong = _sample(1, [dict(image_1_head, category_id=other_neck)], cat_ids)
    for key in ('bboxes', 'scores', 'labels', 'masks'):
        samples[0]['pred_instances'][key] = torch.cat([
            samples[0]['pred_instances'][key], wrong['pred_instances'][key]
        ])
    results = _evaluate(ann_file, classes, samples)
    assert results['coco/part/segm_mAP'] < 1.0
    assert results['coco/part/bbox_mAP'] < 1.0
    assert results['coco/part_given_object/segm_mAP'] == 1.0
    assert results['coco/part_given_object/bbox_mAP'] == 1.0
    assert results['coco/object/segm_mAP'] == 1.0


def test_object_only_classes_skip_parts(ann_file):
    gt = _gt(ann_file)
    objects = [c for c in gt['categories'] if c['kind'] == 'object']
    results = _evaluate(ann_file, [c['name'] for c in objects],
                        _perfect(gt, [c['id'] for c in objects],
                                 range(1, NUM_IMAGES + 1)))
    assert results['coco/object/segm_mAP'] == 1.0
    assert results and all(k.startswith('coco/object/') for k in results)


def test_part_only_classes_and_groups(ann_file):
    gt = _gt(ann_file)
    parts = [c for c in gt['categories'] if c['kind'] == 'part']
    results = _evaluate(ann_file, [c['name'] for c in parts],
                        _perfect(gt, [c['id'] for c in parts], [1, 2]),
                        groups=('part_given_object', ), metric='bbox')
    assert set(results) == {
        f'coco/part_given_object/bbox_{name}'
        for name in ('mAP', 'mAP_50', 'mAP_75', 'mAP_s', 'mAP_m', 'mAP_l')
    }
    assert results['coco/part_given_object/bbox_mAP'] == 1.0


def test_no_detections(ann_file):
    gt = _gt(ann_file)
    classes = [c['name'] for c in gt['categories']]
    cat_ids = [c['id'] for c in gt['categories']]
    results = _evaluate(ann_file, classes,
                        [_sample(i, [], cat_ids) for i in (1, 2)])
    assert results['coco/object/segm_mAP'] == 0.0
    assert results['coco/part_given_object/bbox_mAP'] == 0.0


def test_wrong_classes_raise(ann_file):
    gt = _gt(ann_file)
    cat_ids = [c['id'] for c in gt['categories']]
    with pytest.raises(ValueError, match='3 categories'):
        # 'crane' names two categories
        _evaluate(ann_file, ['crane', 'dog'], _perfect(gt, cat_ids, [1]))


def test_format_only(ann_file, tmp_path):
    gt = _gt(ann_file)
    classes = [c['name'] for c in gt['categories']]
    cat_ids = [c['id'] for c in gt['categories']]
    prefix = str(tmp_path / 'dets')
    results = _evaluate(ann_file, classes, _perfect(gt, cat_ids, [1]),
                        format_only=True, outfile_prefix=prefix)
    assert results == {}
    assert osp.exists(f'{prefix}.segm.json')
    assert len(json.loads(open(f'{prefix}.bbox.json').read())) == 3


def test_rejects_bad_arguments(ann_file):
    with pytest.raises(KeyError):
        PINPPInstanceMetric(ann_file, metric='proposal')
    with pytest.raises(KeyError):
        PINPPInstanceMetric(ann_file, groups=('objects', ))
    with pytest.raises(ValueError):
        PINPPInstanceMetric(ann_file, max_dets=5)
