# Copyright (c) mmpart contributors. All rights reserved.
import json

import numpy as np
import pycocotools.mask as mask_util
import pytest
import torch
from lvis import LVIS, LVISResults

from mmpart.evaluation import PINPPLVISMetric
from mmpart.evaluation.functional import evaluate_federated
from mmpart.registry import METRICS

SIZE = 48
NUM_IMAGES = 6
#: 1-based ids, parts first: (name, supercategory, frequency).
CATEGORIES = [('dog_head', 'part', 'f'), ('dog_tail', 'part', 'c'),
              ('car_wheel', 'part', 'r'), ('dog', 'object', 'f'),
              ('car', 'object', 'c')]
OBJECT_PARTS = {4: [1, 2], 5: [3]}


def _box_mask(box):
    x, y, w, h = box
    mask = np.zeros((SIZE, SIZE), dtype=bool)
    mask[y:y + h, x:x + w] = True
    return mask


@pytest.fixture(scope='module')
def ann_file(tmp_path_factory):
    """An LVIS-format PIN++ file: one object per image and its parts,
    polygons, negatives (the other object and its parts), one
    not-exhaustive category per image."""
    rng = np.random.default_rng(0)
    images, annotations = [], []
    for img_id in range(1, NUM_IMAGES + 1):
        obj = 4 + img_id % 2
        cats = [obj] + OBJECT_PARTS[obj]
        other = 9 - obj
        images.append(
            dict(id=img_id, width=SIZE, height=SIZE,
                 file_name=f'{img_id}.JPEG',
                 neg_category_ids=[other] + OBJECT_PARTS[other],
                 not_exhaustive_category_ids=[cats[-1]]))
        for cat_id in cats:
            w, h = rng.integers(8, SIZE, size=2)
            x, y = rng.integers(0, SIZE - w + 1), rng.integers(0, SIZE - h + 1)
            x, y, w, h = box = [int(x), int(y), int(w), int(h)]
            annotations.append(
                dict(id=len(annotations) + 1, image_id=img_id,
                     category_id=cat_id, area=box[2] * box[3], bbox=box,
                     segmentation=[[x, y, x, y + h, x + w, y + h, x + w, y]]))
    categories = [
        dict(id=k + 1, name=name, supercategory=s, frequency=f)
        for k, (name, s, f) in enumerate(CATEGORIES)
    ]
    path = tmp_path_factory.mktemp('pinpp') / 'lvis_val.json'
    path.write_text(json.dumps(dict(images=images, annotations=annotations,
                                    categories=categories)))
    return str(path)


@pytest.fixture(scope='module')
def samples(ann_file):
    """Predicted data samples: each ground truth found twice (shifted, the
    second time with another label), plus a random detection; masks with
    their own scores."""
    rng = np.random.default_rng(1)
    gt = LVIS(ann_file)
    samples = []
    for img_id in sorted(gt.imgs):
        boxes, labels = [], []
        for ann in gt.img_ann_map[img_id]:
            x, y, w, h = ann['bbox']
            for shift, label in ((1, ann['category_id'] - 1),
                                 (3, int(rng.integers(0, 5)))):
                boxes.append([min(x + shift, SIZE - w), y, w, h])
                labels.append(label)
        boxes.append([0, 0, 10, 10])
        labels.append(int(rng.integers(0, 5)))
        xyxy = torch.tensor([[x, y, x + w, y + h] for x, y, w, h in boxes],
                            dtype=torch.float32)
        samples.append(
            dict(img_id=img_id, ori_shape=(SIZE, SIZE),
                 pred_instances=dict(
                     bboxes=xyxy,
                     scores=torch.tensor(rng.random(len(boxes))),
                     mask_scores=torch.tensor(rng.random(len(boxes))),
                     labels=torch.tensor(labels),
                     masks=torch.from_numpy(
                         np.stack([_box_mask(b) for b in boxes])))))
    return samples


def _expected(ann_file, samples, iou_type, not_exhaustive='official'):
    """``evaluate_federated`` on the detections written by hand."""
    dets = []
    for sample in samples:
        pred = sample['pred_instances']
        for i, label in enumerate(pred['labels'].tolist()):
            x1, y1, x2, y2 = pred['bboxes'][i].tolist()
            det = dict(image_id=sample['img_id'], category_id=label + 1,
                       bbox=[x1, y1, x2 - x1, y2 - y1],
                       score=float(pred['scores'][i]))
            if iou_type == 'segm':
                rle = mask_util.encode(
                    np.asfortranarray(pred['masks'][i].numpy(), np.uint8))
                det.update(score=float(pred['mask_scores'][i]),
                           segmentation=dict(size=rle['size'],
                                             counts=rle['counts'].decode()))
            dets.append(det)
    return evaluate_federated(LVIS(ann_file), dets, iou_type,
                              not_exhaustive=not_exhaustive).summary


def _run(metric, samples, classes):
    metric.dataset_meta = dict(classes=classes)
    metric.process({}, samples)
    return metric.evaluate(len(samples))


CLASSES = [name for name, _, _ in CATEGORIES]


@pytest.mark.parametrize('not_exhaustive', ['official', 'lvis'])
def test_metric_numbers(ann_file, samples, not_exhaustive):
    metric = METRICS.build(
        dict(type='PINPPLVISMetric', ann_file=ann_file,
             not_exhaustive=not_exhaustive))
    results = _run(metric, samples, CLASSES)
    for iou_type in ('bbox', 'segm'):
        expected = _expected(ann_file, samples, iou_type, not_exhaustive)
        assert list(expected)[-2:] == ['obj-AP', 'part-AP']
        for name, value in expected.items():
            assert results[f'lvis/{iou_type}_{name}'] == round(value, 4)
    assert len(results) == 2 * 15
    assert 0 < results['lvis/segm_part-AP'] < 1
    assert 0 < results['lvis/segm_obj-AP'] < 1


def test_rules_differ(ann_file, samples):
    official = _run(PINPPLVISMetric(ann_file, metric='segm'), samples,
                    CLASSES)
    lvis = _run(PINPPLVISMetric(ann_file, metric='segm',
                                not_exhaustive='lvis'), samples, CLASSES)
    assert official['lvis/segm_AP'] < lvis['lvis/segm_AP']


def test_format_only(ann_file, samples, tmp_path):
    prefix = str(tmp_path / 'results')
    metric = PINPPLVISMetric(ann_file, format_only=True, outfile_prefix=prefix)
    assert _run(metric, samples, CLASSES) == {}
    gt = LVIS(ann_file)
    num = sum(len(s['pred_instances']['labels']) for s in samples)
    for iou_type in ('bbox', 'segm'):
        results = LVISResults(gt, f'{prefix}.{iou_type}.json')
        assert len(results.anns) == num
        assert set(results.cats) == {1, 2, 3, 4, 5}


def test_refuses_other_classes_and_arguments(ann_file, samples):
    with pytest.raises(ValueError, match='id order'):
        _run(PINPPLVISMetric(ann_file), samples, CLASSES[::-1])
    with pytest.raises(ValueError, match='not_exhaustive'):
        PINPPLVISMetric(ann_file, not_exhaustive='coco')
    with pytest.raises(KeyError, match='metric'):
        PINPPLVISMetric(ann_file, metric='proposal')
    with pytest.raises(ValueError, match='outfile_prefix'):
        PINPPLVISMetric(ann_file, format_only=True)
    no_masks = [
        dict(s, pred_instances={
            k: v for k, v in s['pred_instances'].items() if k != 'masks'
        }) for s in samples
    ]
    with pytest.raises(ValueError, match='masks'):
        _run(PINPPLVISMetric(ann_file), no_masks, CLASSES)
    assert _run(PINPPLVISMetric(ann_file, metric='bbox'), no_masks,
                CLASSES)['lvis/bbox_AP'] > 0
