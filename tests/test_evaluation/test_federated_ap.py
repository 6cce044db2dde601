# Copyright (c) mmpart contributors. All rights reserved.
import contextlib
import copy
import io
import json

import numpy as np
import pytest
from lvis import LVIS, LVISEval, LVISResults
from lvis.eval import Params
from pycocotools.coco import COCO

from mmpart.evaluation.functional import evaluate_federated, evaluate_sparse
from mmpart.toy.boxes import box_rle, random_box

SIZE = 120  # boxes up to the image: small, medium and large areas
NUM_IMAGES = 10
#: id -> (supercategory, frequency); 1-based ids, parts first as in PIN++.
CATEGORIES = {1: ('part', 'f'), 2: ('part', 'c'), 3: ('part', 'r'),
              4: ('part', 'f'), 5: ('part', 'c'), 6: ('object', 'f'),
              7: ('object', 'c'), 8: ('object', 'r')}
NO_GT_CAT = 8  # in neg lists and detected, never in the ground truth
NO_DETECTION_IMAGE = NUM_IMAGES
LVIS_KEYS = ['AP', 'AP50', 'AP75', 'APs', 'APm', 'APl', 'APr', 'APc', 'APf',
             'AR@300', 'ARs@300', 'ARm@300', 'ARl@300']


def _polygon(box):
    x, y, w, h = box
    return [[x, y, x, y + h, x + w, y + h, x + w, y]]


def _lvis_dataset(rng):
    """An LVIS-format ground truth: polygons, 1-based ids, 1-4 instances
    per image, one crowd (LVIS evaluates it as a plain instance) and one
    with LVIS's ``ignore`` flag; each image lists negatives (absent
    categories, the never-annotated one among them) and some of its own
    categories as not exhaustive."""
    images, annotations = [], []
    for img_id in range(1, NUM_IMAGES + 1):
        cats = set()
        for i in range(rng.integers(1, 5)):
            box = random_box(rng, SIZE)
            cat_id = int(rng.integers(1, NO_GT_CAT))
            cats.add(cat_id)
            annotations.append(
                dict(id=len(annotations) + 1, image_id=img_id,
                     category_id=cat_id, area=box[2] * box[3], bbox=box,
                     segmentation=_polygon(box),
                     iscrowd=int(len(annotations) == 2)))
        absent = [c for c in CATEGORIES if c not in cats]
        images.append(
            dict(id=img_id, width=SIZE, height=SIZE,
                 file_name=f'{img_id}.JPEG',
                 neg_category_ids=sorted(
                     int(c) for c in rng.choice(absent, 3, replace=False)),
                 not_exhaustive_category_ids=sorted(
                     c for c in cats if rng.random() < .5)))
    annotations[4]['ignore'] = 1
    images[0]['neg_category_ids'] = sorted(
        set(images[0]['neg_category_ids']) | {NO_GT_CAT})
    return dict(
        images=images, annotations=annotations,
        categories=[
            dict(id=k, name=f'c{k}', supercategory=s, frequency=f)
            for k, (s, f) in CATEGORIES.items()
        ])


def _detections(rng, dataset):
    """Jittered ground truths (some relabelled) and random boxes of any
    category; scores with one decimal, so ties occur."""
    dets = []
    for ann in dataset['annotations']:
        if ann['image_id'] == NO_DETECTION_IMAGE:
            continue
        for _ in range(rng.integers(1, 4)):
            x, y, w, h = ann['bbox']
            dx, dy = rng.integers(-6, 7, size=2)
            box = [max(0, x + dx), max(0, y + dy), w, h]
            box[2], box[3] = min(w, SIZE - box[0]), min(h, SIZE - box[1])
            cat_id = ann['category_id'] if rng.random() < .8 else int(
                rng.integers(1, NO_GT_CAT + 1))
            dets.append((ann['image_id'], cat_id, box))
    for img_id in range(1, NUM_IMAGES):
        for _ in range(rng.integers(2, 7)):
            dets.append((img_id, int(rng.integers(1, NO_GT_CAT + 1)),
                         random_box(rng, SIZE)))
    return [
        dict(image_id=img_id, category_id=cat_id, bbox=box,
             segmentation=box_rle(box, SIZE),
             score=round(float(rng.random()), 1))
        for img_id, cat_id, box in dets
    ]


def _for(results, iou_type):
    """Fresh copies for one IoU type: boxes dropped for 'segm' (mask areas),
    as the official evaluation does."""
    results = copy.deepcopy(results)
    if iou_type == 'segm':
        for det in results:
            det.pop('bbox')
    return results


def _write(tmp_path, dataset, name='gt.json'):
    path = tmp_path / name
    path.write_text(json.dumps(dataset))
    return str(path)


def _lvis_eval(path, results, iou_type, max_dets=300, img_ids=None):
    """Plain ``LVISEval`` (evaluate, accumulate, summarize) on a freshly
    read ground truth. The caller patches ``np.float`` (numpy >= 1.24)."""
    gt = LVIS(path)
    lvis_eval = LVISEval(
        gt, LVISResults(gt, _for(results, iou_type), max_dets=max_dets),
        iou_type)
    # Only names the AR keys: the cap is applied by LVISResults.
    lvis_eval.params.max_dets = max_dets
    if img_ids is not None:
        lvis_eval.params.img_ids = img_ids
    lvis_eval.evaluate()
    lvis_eval.accumulate()
    lvis_eval.summarize()
    return lvis_eval


@pytest.fixture
def lvis_float(monkeypatch):
    """lvis 0.5.3's ``accumulate`` uses ``np.float`` (removed in numpy
    1.24): set it for this test only."""
    monkeypatch.setattr(np, 'float', float, raising=False)


@pytest.fixture(scope='module')
def data():
    rng = np.random.default_rng(0)
    dataset = _lvis_dataset(rng)
    return dataset, _detections(rng, dataset)


def _assert_equal(result, lvis_eval):
    np.testing.assert_allclose(result.precision, lvis_eval.eval['precision'],
                               rtol=0, atol=1e-12)
    np.testing.assert_allclose(result.recall, lvis_eval.eval['recall'],
                               rtol=0, atol=1e-12)
    for key, value in lvis_eval.results.items():
        assert result.summary[key] == pytest.approx(value, abs=1e-12), key


def _category_ap(precision, position):
    """Mean of a category's valid precisions, read at its position."""
    values = precision[:, :, position, 0]
    values = values[values > -1]
    return np.mean(values) if values.size else -1


def test_fixture_has_the_cases(data):
    dataset, dets = data
    images = {img['id']: img for img in dataset['images']}
    gt_cats = {(a['image_id'], a['category_id'])
               for a in dataset['annotations']}
    ignored = [
        d for d in dets if (d['image_id'], d['category_id']) not in gt_cats
        and d['category_id'] not in images[d['image_id']]['neg_category_ids']
    ]
    negatives = [
        d for d in dets
        if d['category_id'] in images[d['image_id']]['neg_category_ids']
    ]
    assert ignored and negatives
    assert any(d['category_id'] == NO_GT_CAT for d in negatives)
    assert any(images[i]['not_exhaustive_category_ids'] for i in images)
    scores = [d['score'] for d in dets]
    assert len(set(scores)) < len(scores)
    assert NO_DETECTION_IMAGE not in {d['image_id'] for d in dets}
    assert NO_GT_CAT not in {c for _, c in gt_cats}
    assert any(a.get('iscrowd') for a in dataset['annotations'])
    assert any(a.get('ignore') for a in dataset['annotations'])


@pytest.mark.parametrize('iou_type', ['bbox', 'segm'])
@pytest.mark.parametrize('max_dets,img_ids', [(300, None),
                                              (300, [2, 3, 5, 10]),
                                              (4, None)])
def test_lvis_rule_equals_lvis_eval(data, tmp_path, lvis_float, iou_type,
                                    max_dets, img_ids):
    """Precision, recall and every summary number equal ``LVISEval``'s;
    ``max_dets=4`` caps images with ties at the cut."""
    dataset, dets = data
    path = _write(tmp_path, dataset)
    plain = _lvis_eval(path, dets, iou_type, max_dets, img_ids)
    result = evaluate_federated(
        LVIS(path), _for(dets, iou_type), iou_type, img_ids=img_ids,
        max_dets=max_dets, not_exhaustive='lvis')
    _assert_equal(result, plain)
    assert result.cat_ids == sorted(CATEGORIES)
    assert list(result.summary)[:len(plain.results)] == list(plain.results)
    assert plain.results['AP'] > 0 and plain.results['APl'] > 0
    for k in range(len(CATEGORIES)):
        assert result.category_ap[k] == _category_ap(plain.eval['precision'],
                                                     k)
    assert result.category_ap[result.cat_ids.index(NO_GT_CAT)] == -1


def test_does_not_change_its_inputs(data, tmp_path):
    """Nor numpy: no ``np.float`` is set (lvis's accumulate is not used)."""
    dataset, dets = data
    assert not hasattr(np, 'float')
    gt = LVIS(_write(tmp_path, dataset))
    before = copy.deepcopy((gt.dataset, dets))
    evaluate_federated(gt, dets, 'segm')
    assert (gt.dataset, dets) == before
    assert not hasattr(np, 'float')


@pytest.mark.parametrize('iou_type', ['bbox', 'segm'])
def test_official_rule(data, tmp_path, lvis_float, iou_type):
    """``PACOEval`` (the rule commented out) is ``LVISEval`` on the file
    without not-exhaustive lists; the rules differ only through unmatched
    detections of not-exhaustive categories."""
    dataset, dets = data
    path = _write(tmp_path, dataset)
    official = evaluate_federated(LVIS(path), _for(dets, iou_type), iou_type)
    exhaustive = copy.deepcopy(dataset)
    for img in exhaustive['images']:
        img['not_exhaustive_category_ids'] = []
    _assert_equal(
        official,
        _lvis_eval(_write(tmp_path, exhaustive, 'exhaustive.json'), dets,
                   iou_type))

    lvis = evaluate_federated(
        LVIS(path), _for(dets, iou_type), iou_type, not_exhaustive='lvis')
    differ = official.category_ap != lvis.category_ap
    assert differ.any()
    assert (official.category_ap <= lvis.category_ap).all()
    listed = {
        c for img in dataset['images']
        for c in img['not_exhaustive_category_ids']
    }
    assert {official.cat_ids[k] for k in np.flatnonzero(differ)} <= listed

    # Without detections in the not-exhaustive (image, category) pairs
    # there is nothing for the rules to disagree on.
    not_exhaustive = {(img['id'], c) for img in dataset['images']
                      for c in img['not_exhaustive_category_ids']}
    kept = [d for d in dets
            if (d['image_id'], d['category_id']) not in not_exhaustive]
    np.testing.assert_array_equal(
        evaluate_federated(LVIS(path), _for(kept, iou_type),
                           iou_type).precision,
        evaluate_federated(LVIS(path), _for(kept, iou_type), iou_type,
                           not_exhaustive='lvis').precision)


def _two_images(neg_category_ids):
    """Image 1 holds categories 1 and 2, image 2 only category 1; a
    confident detection of category 2 in image 2 is the only error."""
    boxes = {1: [10, 10, 40, 40], 2: [60, 60, 40, 40]}
    annotations = [
        dict(id=1, image_id=1, category_id=1, bbox=boxes[1]),
        dict(id=2, image_id=1, category_id=2, bbox=boxes[2]),
        dict(id=3, image_id=2, category_id=1, bbox=boxes[1]),
    ]
    for ann in annotations:
        ann.update(area=1600, iscrowd=0, segmentation=_polygon(ann['bbox']))
    images = [
        dict(id=i, width=SIZE, height=SIZE, file_name=f'{i}.JPEG',
             neg_category_ids=neg, not_exhaustive_category_ids=[])
        for i, neg in ((1, []), (2, neg_category_ids))
    ]
    dataset = dict(
        images=images, annotations=annotations,
        categories=[dict(id=k, name=f'c{k}', supercategory='part',
                         frequency='f') for k in (1, 2)])
    dets = [
        dict(image_id=a['image_id'], category_id=a['category_id'],
             bbox=a['bbox'], score=.5) for a in annotations
    ]
    dets.append(dict(image_id=2, category_id=2, bbox=boxes[2], score=.9))
    return dataset, dets


def test_federated_rule_ignores_what_coco_counts(tmp_path):
    """A detection of a category that is not verified in its image costs
    nothing; COCO AP (and federated AP once the category is a negative of
    the image) counts it as a false positive."""
    dataset, dets = _two_images(neg_category_ids=[])
    gt = LVIS(_write(tmp_path, dataset))
    federated = evaluate_federated(gt, dets, 'bbox')
    np.testing.assert_allclose(federated.category_ap, [1, 1], atol=1e-12)

    coco_gt = COCO()
    coco_gt.dataset = copy.deepcopy(dataset)
    with contextlib.redirect_stdout(io.StringIO()):
        coco_gt.createIndex()
        coco_dt = coco_gt.loadRes(copy.deepcopy(dets))
    coco = evaluate_sparse(coco_gt, coco_dt, 'bbox', [1, 2])
    assert coco.category_ap[0] == federated.category_ap[0]
    assert coco.category_ap[1] < .9

    dataset, dets = _two_images(neg_category_ids=[2])
    negative = evaluate_federated(
        LVIS(_write(tmp_path, dataset, 'neg.json')), dets, 'bbox')
    np.testing.assert_array_equal(negative.category_ap, coco.category_ap)


def test_obj_and_part_ap(data, tmp_path, lvis_float):
    """obj-AP / part-AP: the mean AP of the object / part categories with
    a ground truth, from ``LVISEval``'s precision read by position."""
    dataset, dets = data
    path = _write(tmp_path, dataset)
    result = evaluate_federated(LVIS(path), _for(dets, 'segm'), 'segm',
                                not_exhaustive='lvis')
    precision = _lvis_eval(path, dets, 'segm').eval['precision']
    for key, kind in (('obj-AP', 'object'), ('part-AP', 'part')):
        aps = [
            _category_ap(precision, k)
            for k, cat_id in enumerate(sorted(CATEGORIES))
            if CATEGORIES[cat_id][0] == kind
        ]
        aps = [ap for ap in aps if ap > -1]
        assert len(aps) >= 2
        assert result.summary[key] == pytest.approx(np.mean(aps), abs=1e-12)


def _official_group_ap(precision, ids):
    """The official post-processing of one group
    (``_evaluate_predictions_on_lvis``): ``get_AP_from_precisions`` with
    the category *id* as index, in percent, then ``get_mean_AP``."""
    aps = []
    for idx in ids:
        values = precision[:, :, idx, 0]
        values = values[values > -1]
        aps.append(np.mean(values) * 100 if values.size else np.nan)
    aps = np.array(aps)
    return np.mean(aps[aps > -1])


def test_official_indexing_reads_a_neighbour(data, tmp_path):
    """With 1-based ids, ``precision[:, :, cat_id]`` is the AP of the next
    category and the largest id is out of range; here a category is read
    at its position."""
    dataset, dets = data
    result = evaluate_federated(LVIS(_write(tmp_path, dataset)),
                                _for(dets, 'segm'), 'segm')
    ids = result.cat_ids
    assert ids == list(range(1, len(ids) + 1))
    for position, cat_id in enumerate(ids[:-1]):
        assert _category_ap(result.precision, cat_id) == \
            result.category_ap[position + 1]

    part_ids = [k for k in ids if CATEGORIES[k][0] == 'part']  # 1..5
    object_ids = [k for k in ids if CATEGORIES[k][0] == 'object']  # 6..8
    official_part_ap = _official_group_ap(result.precision, part_ids)
    neighbours = result.category_ap[part_ids]  # positions 1..5: ids 2..6
    assert official_part_ap == pytest.approx(
        np.mean(neighbours[neighbours > -1]) * 100)
    assert official_part_ap != pytest.approx(result.summary['part-AP'] * 100)
    with pytest.raises(IndexError):
        _official_group_ap(result.precision, object_ids)


def test_no_detections(data, tmp_path):
    dataset, _ = data
    result = evaluate_federated(LVIS(_write(tmp_path, dataset)), [], 'segm')
    with_gt = {a['category_id'] for a in dataset['annotations']}
    for cat_id, ap in zip(result.cat_ids, result.category_ap):
        assert ap == (0 if cat_id in with_gt else -1)
    assert result.summary['AP'] == 0 and result.summary['obj-AP'] == 0


def test_same_thresholds_as_lvis():
    from pycocotools.cocoeval import Params as COCOParams
    coco, lvis = COCOParams(iouType='segm'), Params(iou_type='segm')
    np.testing.assert_array_equal(coco.iouThrs, lvis.iou_thrs)
    np.testing.assert_array_equal(coco.recThrs, lvis.rec_thrs)
    np.testing.assert_array_equal(coco.areaRng, lvis.area_rng)
    assert coco.areaRngLbl == lvis.area_rng_lbl


def test_rejects_bad_arguments(data, tmp_path):
    dataset, dets = data
    gt = LVIS(_write(tmp_path, dataset))
    with pytest.raises(ValueError, match='iou_type'):
        evaluate_federated(gt, dets, 'keypoints')
    with pytest.raises(ValueError, match='not_exhaustive'):
        evaluate_federated(gt, dets, 'bbox', not_exhaustive='coco')
    with pytest.raises(ValueError, match='image id 99'):
        evaluate_federated(gt, [dict(dets[0], image_id=99)], 'bbox')
