# Copyright (c) mmpart contributors. All rights reserved.
import json

import numpy as np
import pytest
import torch

from mmpart.datasets import PINPPPartSegDataset
from mmpart.evaluation.metrics.part_seg_metric import object_mean_iou
from mmpart.registry import METRICS

IGNORE = 65535
#: Objects A and B with two parts each, C with two parts never seen.
META = dict(
    classes=('background', 'A/p1', 'A/p2', 'B/p1', 'B/p2', 'C/p1', 'C/p2'),
    part_objects=(-1, 0, 0, 1, 1, 2, 2),
    objects=('A', 'B', 'C'))
#: Two samples: (labels, class-agnostic prediction, class-aware prediction).
#: The first is of object A (parts 1, 2), the second of B (parts 3, 4); the
#: class-aware prediction keeps the background and the object's parts.
SAMPLES = [
    ([[0, 1, 1], [2, 2, IGNORE]],
     [[0, 1, 3], [2, 4, 0]],
     [[0, 1, 1], [2, 0, 0]]),
    ([[3, 3, 0], [4, 0, 0]],
     [[1, 3, 0], [4, 0, 3]],
     [[3, 3, 0], [4, 0, 3]]),
]


def _sample(label, pred, class_aware=None) -> dict:
    """A predicted sample as the evaluator hands it to the metric."""
    def pixels(values):
        return dict(data=torch.tensor([values]))

    sample = dict(gt_sem_seg=pixels(label), pred_sem_seg=pixels(pred),
                  img_path='x.JPEG')
    if class_aware is not None:
        sample['pred_class_aware_sem_seg'] = pixels(class_aware)
    return sample


def _metric(**kwargs):
    metric = METRICS.build(dict(type='PartSegMetric', **kwargs))
    metric.dataset_meta = META
    return metric


def _evaluate(metric, samples) -> dict:
    metric.process({}, samples)
    return metric.evaluate(len(samples))


def test_class_agnostic_and_class_aware_iou_by_hand(tmp_path):
    """Per class, agnostic (intersection / union over the 11 labelled
    pixels): background 3/4, A 1/3 and 1/2, B 1/4 and 1/2, C never seen.
    Class-aware: background 3/5, A 1 and 1/2, B 2/3 and 1."""
    output_file = tmp_path / 'out' / 'part_iou.json'
    metric = _metric(output_file=str(output_file))
    metrics = _evaluate(metric, [_sample(*s) for s in SAMPLES])
    assert metrics == pytest.approx(dict(
        aAcc=63.64,  # 7 of 11
        mIoU=46.67,  # (3/4 + 1/3 + 1/2 + 1/4 + 1/2) / 5, C's nan skipped
        mAcc=65.0,  # (3/4 + 1/2 + 1/2 + 1/2 + 1) / 5
        mIoU_objects_mean=39.58,  # (A 5/12 + B 3/8) / 2
        aAcc_class_aware=81.82,  # 9 of 11
        mIoU_class_aware=75.33,  # (3/5 + 1 + 1/2 + 2/3 + 1) / 5
        mIoU_objects_mean_class_aware=79.17))  # (A 3/4 + B 5/6) / 2

    report = json.loads(output_file.read_text())
    assert report['metrics'] == pytest.approx(metrics)
    assert [(row['name'], row['object']) for row in report['classes']] == [
        ('background', None), ('A/p1', 'A'), ('A/p2', 'A'), ('B/p1', 'B'),
        ('B/p2', 'B'), ('C/p1', 'C'), ('C/p2', 'C')]
    assert [row['IoU'] for row in report['classes']] == [
        75.0, 33.33, 50.0, 25.0, 50.0, None, None]
    assert [row['IoU_class_aware'] for row in report['classes']] == [
        60.0, 100.0, 50.0, 66.67, 100.0, None, None]
    assert [row['Acc'] for row in report['classes']] == [
        75.0, 50.0, 50.0, 50.0, 100.0, None, None]
    assert report['objects'] == [
        dict(name='A', num_parts=2, mIoU=41.67, mIoU_class_aware=75.0),
        dict(name='B', num_parts=2, mIoU=37.5, mIoU_class_aware=83.33),
        dict(name='C', num_parts=2, mIoU=None, mIoU_class_aware=None)]
    assert list(tmp_path.joinpath('out').iterdir()) == [output_file]


def test_without_class_aware_predictions_only_agnostic_keys(tmp_path):
    metric = _metric(output_file=str(tmp_path / 'part_iou.json'))
    metrics = _evaluate(metric, [_sample(*s[:2]) for s in SAMPLES])
    assert metrics == pytest.approx(
        dict(aAcc=63.64, mIoU=46.67, mAcc=65.0, mIoU_objects_mean=39.58))
    report = json.loads((tmp_path / 'part_iou.json').read_text())
    assert set(report['classes'][1]) == {'name', 'object', 'IoU', 'Acc'}
    assert set(report['objects'][0]) == {'name', 'num_parts', 'mIoU'}


def test_per_object_table_is_logged(tmp_path):
    from mmengine.logging import MMLogger
    log_file = tmp_path / 'log.txt'
    MMLogger.get_instance('test_part_seg_metric', log_file=str(log_file))
    _evaluate(_metric(), [_sample(*s) for s in SAMPLES])
    log = log_file.read_text()
    assert 'per object results:' in log
    header = next(line for line in log.splitlines() if 'Object' in line)
    assert [c.strip() for c in header.strip('|').split('|')] == [
        'Object', 'Parts', 'mIoU', 'mIoU (class-aware)']
    row_a = next(line for line in log.splitlines()
                 if line.startswith('|') and line.split('|')[1].strip() == 'A')
    assert [c.strip() for c in row_a.strip('|').split('|')] == [
        'A', '2', '41.67', '75.0']


def test_object_mean_iou_skips_nan_parts_and_the_background():
    class_iou = np.array([0.9, 0.2, np.nan, np.nan, np.nan, 0.4, 0.6])
    part_objects = np.array([-1, 0, 0, 1, 1, 2, 2])
    means = object_mean_iou(class_iou, part_objects, 4)
    np.testing.assert_allclose(means, [0.2, np.nan, 0.5, np.nan])


def test_matches_a_dense_confusion_matrix_on_the_toy_set(toy_processed):
    """Through mmseg's IoUMetric contract (``dataset_meta`` from the
    dataset, then ``process`` / ``evaluate``) on the packed toy samples,
    against IoUs from a dense confusion matrix."""
    out, _ = toy_processed
    dataset = PINPPPartSegDataset(
        data_root=out, ann_file='splits/val.txt',
        pipeline=[dict(type='LoadImageFromFile'), dict(type='LoadPartMap'),
                  dict(type='PackPartSegInputs')])
    num_classes = len(dataset.metainfo['classes'])
    metric = METRICS.build(dict(type='PartSegMetric'))
    metric.dataset_meta = dataset.metainfo
    rng = np.random.default_rng(0)
    labels, preds, aware_preds = [], [], []
    for index in range(len(dataset)):
        sample = dataset[index]['data_samples']
        label = sample.gt_sem_seg.data[0]
        # A prediction that is right on the left half and random (any
        # class) on the right; the class-aware one keeps its own object's
        # parts and the background there.
        pred = label.clone()
        pred[:, 48:] = torch.from_numpy(
            rng.integers(0, num_classes, size=(96, 48)))
        start, stop = sample.part_id_range
        aware = pred.clone()
        aware[(aware < start) | (aware >= stop)] = 0
        sample.set_data(dict(
            pred_sem_seg=type(sample.gt_sem_seg)(data=pred[None]),
            pred_class_aware_sem_seg=type(sample.gt_sem_seg)(
                data=aware[None])))
        metric.process({}, [sample.to_dict()])
        labels.append(label.numpy())
        preds.append(pred.numpy())
        aware_preds.append(aware.numpy())
    metrics = metric.evaluate(len(dataset))

    def dense_iou(predictions):
        gt = np.stack(labels).ravel()
        pr = np.stack(predictions).ravel()
        keep = gt != IGNORE
        confusion = np.bincount(gt[keep] * num_classes + pr[keep],
                                minlength=num_classes**2).reshape(
                                    num_classes, num_classes)
        inter = np.diag(confusion)
        union = confusion.sum(0) + confusion.sum(1) - inter
        with np.errstate(invalid='ignore'):
            return inter / union, inter.sum() / keep.sum()

    part_objects = np.array(dataset.metainfo['part_objects'])
    for suffix, predictions in (('', preds),
                                ('_class_aware', aware_preds)):
        iou, acc = dense_iou(predictions)
        objects = [np.nanmean(iou[part_objects == o])
                   for o in range(len(dataset.metainfo['objects']))]
        assert metrics['mIoU' + suffix] == pytest.approx(
            np.round(np.nanmean(iou) * 100, 2))
        assert metrics['aAcc' + suffix] == pytest.approx(
            np.round(acc * 100, 2))
        assert metrics['mIoU_objects_mean' + suffix] == pytest.approx(
            np.round(np.mean(objects) * 100, 2))
    assert metrics['mIoU_class_aware'] > metrics['mIoU'] + 10


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match='saw no sample'):
        _metric().compute_metrics([])
    metric = _metric()
    metric.process({}, [_sample(*SAMPLES[0]), _sample(*SAMPLES[1][:2])])
    with pytest.raises(ValueError, match='1 of 2 samples have a '
                       'class-aware prediction'):
        metric.compute_metrics(metric.results)
    with pytest.raises(ValueError, match=r'x.JPEG: pred_sem_seg has shape '
                       r'\(3, 2\), x.JPEG: gt_sem_seg \(2, 3\)'):
        _metric().process({}, [_sample([[0, 1, 1], [2, 2, 0]],
                                       [[0, 1], [1, 2], [2, 0]])])
    metric = METRICS.build(dict(type='PartSegMetric'))
    metric.dataset_meta = dict(classes=META['classes'])
    with pytest.raises(KeyError, match=r"\['part_objects', 'objects'\] in "
                       'the dataset metainfo'):
        metric.process({}, [_sample(*SAMPLES[0])])
    metric.dataset_meta = dict(META, part_objects=(-1, 0, 0, 1, 1, 2, 3))
    with pytest.raises(ValueError, match='part_objects holds 3, not an '
                       'object label of the 3 objects'):
        metric.process({}, [_sample(*SAMPLES[0])])
    metric.dataset_meta = dict(META, part_objects=(-1, 0, 0))
    with pytest.raises(ValueError, match='part_objects has 3 entries for 7'
                       ' classes'):
        metric.process({}, [_sample(*SAMPLES[0])])
