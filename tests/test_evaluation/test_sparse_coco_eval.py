# Copyright (c) mmpart contributors. All rights reserved.
import contextlib
import io

import numpy as np
import pytest
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

from mmpart.evaluation.functional import evaluate_sparse
from mmpart.toy.boxes import box_rle, random_box

SIZE = 40  # some masks exceed 32 * 32 pixels: small and medium areas
NUM_IMAGES = 8
CATEGORIES = [1, 2, 3, 4, 5]
NO_DETECTION_CAT = 4  # ground truth, never detected
NO_GT_CAT = 5  # detected, never in the ground truth
NO_DETECTION_IMAGE = NUM_IMAGES  # its ground truths are all missed


def _make_gt(rng):
    """A COCO ground truth: 1-4 instances of categories 1-4 per image (the
    first one medium-sized), one crowd instance."""
    images, annotations = [], []
    for img_id in range(1, NUM_IMAGES + 1):
        images.append(dict(id=img_id, width=SIZE, height=SIZE,
                           file_name=f'{img_id}.jpg'))
        for i in range(rng.integers(1, 5)):
            box = random_box(rng, SIZE, min_side=33 if i == 0 else 4)
            annotations.append(
                dict(id=len(annotations) + 1, image_id=img_id,
                     category_id=int(rng.integers(1, NO_GT_CAT)),
                     iscrowd=int(len(annotations) == 3), area=box[2] * box[3],
                     bbox=box, segmentation=box_rle(box, SIZE)))
    annotations.append(
        dict(id=len(annotations) + 1, image_id=1,
             category_id=NO_DETECTION_CAT, iscrowd=0, area=100,
             bbox=[0, 0, 10, 10], segmentation=box_rle([0, 0, 10, 10], SIZE)))
    coco = COCO()
    coco.dataset = dict(images=images, annotations=annotations,
                        categories=[dict(id=i, name=f'c{i}')
                                    for i in CATEGORIES])
    with contextlib.redirect_stdout(io.StringIO()):
        coco.createIndex()
    return coco


def _make_detections(rng, coco_gt):
    """Jittered ground truths (some with another category) and random
    boxes; scores with one decimal, so ties occur."""
    detections = []
    for ann in coco_gt.dataset['annotations']:
        if (ann['image_id'] == NO_DETECTION_IMAGE
                or ann['category_id'] == NO_DETECTION_CAT):
            continue
        for _ in range(rng.integers(1, 4)):
            x, y, w, h = ann['bbox']
            dx, dy = rng.integers(-3, 4, size=2)
            box = [max(0, x + dx), max(0, y + dy), w, h]
            box[2], box[3] = min(w, SIZE - box[0]), min(h, SIZE - box[1])
            detections.append((ann['image_id'], ann['category_id'], box))
    for img_id in range(1, NUM_IMAGES):
        for _ in range(rng.integers(0, 5)):
            cat_id = int(rng.choice([1, 2, 3, NO_GT_CAT]))
            detections.append((img_id, cat_id, random_box(rng, SIZE)))
    return [
        dict(image_id=img_id, category_id=cat_id, bbox=box,
             segmentation=box_rle(box, SIZE),
             score=round(float(rng.random()), 1))
        for img_id, cat_id, box in detections
    ]


def _load(coco_gt, detections, iou_type):
    """``coco_gt.loadRes`` of fresh copies, segm without boxes (mask
    areas)."""
    detections = [dict(d) for d in detections]
    if iou_type == 'segm':
        for det in detections:
            det.pop('bbox')
    with contextlib.redirect_stdout(io.StringIO()):
        return coco_gt.loadRes(detections)


def _plain(coco_gt, coco_dt, iou_type, cat_ids, img_ids, max_dets):
    """pycocotools' COCOeval, silenced."""
    coco_eval = COCOeval(coco_gt, coco_dt, iou_type)
    coco_eval.params.catIds = cat_ids
    coco_eval.params.imgIds = img_ids
    coco_eval.params.maxDets = list(max_dets)
    with contextlib.redirect_stdout(io.StringIO()):
        coco_eval.evaluate()
        coco_eval.accumulate()
        coco_eval.summarize()
    return coco_eval


@pytest.fixture(scope='module')
def data():
    rng = np.random.default_rng(0)
    coco_gt = _make_gt(rng)
    return coco_gt, _make_detections(rng, coco_gt)


@pytest.mark.parametrize('iou_type', ['bbox', 'segm'])
@pytest.mark.parametrize('img_ids', [None, [2, 3, 5, NO_DETECTION_IMAGE]])
def test_equals_cocoeval(data, iou_type, img_ids):
    coco_gt, detections = data
    all_imgs = coco_gt.getImgIds() if img_ids is None else img_ids
    coco_dt = _load(coco_gt, detections, iou_type)
    assert NO_GT_CAT in {d['category_id'] for d in detections}
    plain = _plain(coco_gt, coco_dt, iou_type, CATEGORIES, all_imgs,
                   (1, 10, 100))
    assert plain.stats[0] > 0 and plain.stats[4] > 0  # medium areas exist
    result = evaluate_sparse(coco_gt, coco_dt, iou_type, CATEGORIES, img_ids,
                             max_dets=(1, 10, 100))
    np.testing.assert_array_equal(result.stats, plain.stats)
    assert result.cat_ids == CATEGORIES
    precision = plain.eval['precision'][:, :, :, 0, -1]
    for k in range(len(CATEGORIES)):
        valid = precision[:, :, k][precision[:, :, k] > -1]
        expected = np.mean(valid) if valid.size else -1
        assert result.category_ap[k] == expected
    assert result.category_ap[CATEGORIES.index(NO_GT_CAT)] == -1
    assert result.category_ap[CATEGORIES.index(NO_DETECTION_CAT)] == 0


@pytest.mark.parametrize('iou_type', ['bbox', 'segm'])
def test_small_max_dets_and_category_subset(data, iou_type):
    """Per-image caps that drop detections; AP at the largest cap (the
    first ``summarize`` number is at 100, i.e. -1, there)."""
    coco_gt, detections = data
    coco_dt = _load(coco_gt, detections, iou_type)
    cat_ids = [3, 1, NO_GT_CAT]
    plain = _plain(coco_gt, coco_dt, iou_type, cat_ids, coco_gt.getImgIds(),
                   (1, 2, 3))
    result = evaluate_sparse(coco_gt, coco_dt, iou_type, cat_ids,
                             max_dets=(3, 1, 2))
    np.testing.assert_array_equal(result.stats[1:], plain.stats[1:])
    precision = plain.eval['precision'][:, :, :, 0, -1]
    assert result.stats[0] == np.mean(precision[precision > -1])
    assert result.cat_ids == [1, 3, NO_GT_CAT]


@pytest.mark.parametrize('iou_type', ['bbox', 'segm'])
def test_no_detections_and_no_gt(data, iou_type):
    coco_gt, _ = data
    empty = COCO()
    with contextlib.redirect_stdout(io.StringIO()):
        empty.createIndex()
    plain = _plain(coco_gt, empty, iou_type, CATEGORIES, coco_gt.getImgIds(),
                   (1, 10, 100))
    result = evaluate_sparse(coco_gt, None, iou_type, CATEGORIES,
                             max_dets=(1, 10, 100))
    np.testing.assert_array_equal(result.stats, plain.stats)
    assert set(result.stats[[0, 1, 2, 6, 7, 8]]) == {0}

    no_gt = evaluate_sparse(coco_gt, _load(coco_gt, data[1], iou_type),
                            iou_type, [NO_GT_CAT])
    assert (no_gt.stats == -1).all() and (no_gt.category_ap == -1).all()


def test_rejects_bad_arguments(data):
    coco_gt, _ = data
    with pytest.raises(ValueError, match='iou_type'):
        evaluate_sparse(coco_gt, None, 'keypoints', CATEGORIES)
    with pytest.raises(ValueError, match='max_dets'):
        evaluate_sparse(coco_gt, None, 'bbox', CATEGORIES, max_dets=(1, 10))
