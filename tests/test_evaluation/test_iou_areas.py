# Copyright (c) mmpart contributors. All rights reserved.
"""The four part-IoU users against mmseg's dense ``IoUMetric`` on the same
inputs: what each returned before the sparse accumulator, it returns now."""
import os
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmseg.evaluation import IoUMetric

from mmpart.datasets import PINPPLayout
from mmpart.evaluation.functional import mean_iou
from mmpart.pseudo_label import score_pseudo_labels
from mmpart.registry import METRICS

IGNORE = 65535
#: The official part-class count: the dense areas the accumulator avoids.
NUM_CLASSES = 3311


def random_maps(seed, num=4, shape=(9, 11)):
    """``num`` (prediction, label) pairs touching a few of the 3311
    classes, some labels ignored, the last class among them (histogram
    edges)."""
    rng = np.random.default_rng(seed)
    pairs = []
    for _ in range(num):
        classes = np.append(rng.choice(NUM_CLASSES, 5, replace=False),
                            [0, NUM_CLASSES - 1])
        label = rng.choice(classes, shape)
        label[rng.random(shape) < 0.15] = IGNORE
        pred = np.where(rng.random(shape) < 0.6, label,
                        rng.choice(classes, shape))
        pred[pred == IGNORE] = 0
        pairs.append((pred.astype(np.int64), label.astype(np.int64)))
    return pairs


def mmseg_dense(pairs, num_classes=NUM_CLASSES, prefix=None):
    """mmseg's ``IoUMetric``, dense ``(4, num_classes)`` areas per image:
    the reference."""
    metric = IoUMetric(ignore_index=IGNORE, prefix=prefix)
    metric.dataset_meta = dict(classes=[str(c) for c in range(num_classes)])
    for pred, label in pairs:
        metric.results.append(
            metric.intersect_and_union(
                torch.from_numpy(pred), torch.from_numpy(label), num_classes,
                IGNORE))
    return metric.compute_metrics(metric.results)


def dense_iou(pairs, num_classes=NUM_CLASSES):
    """mmseg's per-class IoU, the areas summed over the images in
    float64."""
    areas = [
        torch.stack(
            IoUMetric.intersect_and_union(
                torch.from_numpy(pred), torch.from_numpy(label), num_classes,
                IGNORE)).double() for pred, label in pairs
    ]
    return IoUMetric.total_area_to_metrics(*sum(areas), ['mIoU'])


@pytest.mark.parametrize('seed', [0, 1])
def test_part_iou_metric_as_mmseg(seed):
    pairs = random_maps(seed)
    metric = METRICS.build(dict(type='PartIoUMetric'))
    metric.dataset_meta = dict(
        classes=['object'],
        part_classes=[str(c) for c in range(NUM_CLASSES)])
    samples = [
        dict(pred_part_map=torch.from_numpy(pred)[None],
             gt_part_map=torch.from_numpy(label), part_map_valid=True)
        for pred, label in pairs
    ]
    # A sample without a real map is left out.
    samples.append(
        dict(pred_part_map=torch.ones(1, 9, 11, dtype=torch.int64),
             gt_part_map=torch.zeros(9, 11, dtype=torch.int64),
             part_map_valid=False))
    metric.process({}, samples)
    expected = {f'part/{k}': v for k, v in mmseg_dense(pairs).items()}
    assert metric.evaluate(len(samples)) == expected


@pytest.mark.parametrize('seed', [0, 1])
def test_part_seg_metric_as_mmseg(seed):
    pairs = random_maps(seed)
    aware_pairs = random_maps(seed + 10)
    classes = [str(c) for c in range(NUM_CLASSES)]
    metric = METRICS.build(dict(type='PartSegMetric'))
    metric.dataset_meta = dict(
        classes=classes,
        part_objects=[-1] + [c % 7 for c in range(NUM_CLASSES - 1)],
        objects=[str(o) for o in range(7)])
    metric.process({}, [
        dict(gt_sem_seg=dict(data=torch.from_numpy(label)[None]),
             pred_sem_seg=dict(data=torch.from_numpy(pred)[None]),
             pred_class_aware_sem_seg=dict(
                 data=torch.from_numpy(aware_pred)[None]))
        for (pred, label), (aware_pred, _) in zip(pairs, aware_pairs)
    ])
    metrics = metric.evaluate(len(pairs))
    for key, value in mmseg_dense(pairs).items():
        assert metrics[key] == value
    aware = mmseg_dense([(aware_pred, label) for (_, label), (aware_pred, _)
                         in zip(pairs, aware_pairs)])
    assert metrics['aAcc_class_aware'] == aware['aAcc']
    assert metrics['mIoU_class_aware'] == aware['mIoU']


def test_mean_iou_as_mmseg():
    pairs = random_maps(2)
    iou = dense_iou(pairs)['IoU']
    assert mean_iou(*zip(*pairs), NUM_CLASSES) == float(
        np.nanmean(iou) * 100)


def test_score_pseudo_labels_as_mmseg(tmp_path):
    pairs = random_maps(3)
    pred_root, gt_root = tmp_path / 'pred', tmp_path / 'gt'
    keys = [f'n0/{i}' for i in range(len(pairs))]
    masked = []
    for key, (pred, label) in zip(keys, pairs):
        pred = pred.copy()
        pred[:, 0] = IGNORE  # the pseudo mask says nothing there
        for root, rows in ((pred_root, pred), (gt_root, label)):
            path = PINPPLayout(str(root)).seg_map(*key.split('/'))
            os.makedirs(osp.dirname(path), exist_ok=True)
            assert cv2.imwrite(path, rows.astype(np.uint16))
        masked.append((pred, np.where(pred == IGNORE, IGNORE, label)))
    scores = score_pseudo_labels(str(pred_root), str(gt_root), keys,
                                 NUM_CLASSES)
    values = dense_iou(masked)
    iou = values['IoU'][~np.isnan(values['IoU'])]
    assert scores['mIoU'] == round(float(iou.mean()) * 100, 2)
    assert scores['aAcc'] == round(float(values['aAcc']) * 100, 2)


def test_out_of_range_ids_are_refused_naming_the_map():
    """mmseg's histograms drop an id past the classes; training refuses
    it: so does every part-IoU score, naming the map."""
    label = np.array([[0, 1], [NUM_CLASSES, IGNORE]])
    pred = np.zeros((2, 2), dtype=np.int64)
    metric = METRICS.build(dict(type='PartIoUMetric'))
    metric.dataset_meta = dict(
        classes=['object'],
        part_classes=[str(c) for c in range(NUM_CLASSES)])
    sample = dict(pred_part_map=torch.from_numpy(pred)[None],
                  gt_part_map=torch.from_numpy(label), part_map_valid=True,
                  img_path='n0/a.JPEG', seg_map_path='seg/n0/a.png')
    with pytest.raises(ValueError, match=r'seg/n0/a.png: gt_part_map holds '
                       r'part id 3311, neither a class \(below '
                       r'num_classes=3311\) nor the ignore index 65535'):
        metric.process({}, [sample])
    metric = METRICS.build(dict(type='PartSegMetric'))
    metric.dataset_meta = dict(classes=['0', '1'], part_objects=[-1, 0],
                               objects=['A'])
    with pytest.raises(ValueError, match='seg/n0/a.png: gt_sem_seg holds '
                       'part id 2'):
        metric.process({}, [
            dict(gt_sem_seg=dict(data=torch.tensor([[[0, 2]]])),
                 pred_sem_seg=dict(data=torch.tensor([[[0, 1]]])),
                 seg_map_path='seg/n0/a.png')
        ])
    with pytest.raises(ValueError, match='prediction holds part id -1'):
        mean_iou([-pred - 1], [label], NUM_CLASSES + 1)
