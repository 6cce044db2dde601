# Copyright (c) mmpart contributors. All rights reserved.
"""Robust accuracy, ImageNet-C mCE and shape bias from known predictions."""
import pytest
import torch

from mmpart.datasets import IMAGENET_C_CORRUPTIONS
from mmpart.evaluation.metrics import (ALEXNET_ERRORS, ImageNetCMetric,
                                       RobustAccuracy, ShapeBias)


def _c_samples(corruption, severity, hits, total):
    return [dict(corruption=corruption, severity=severity,
                 pred_label=torch.tensor([0 if k < hits else 1]),
                 gt_label=torch.tensor([0])) for k in range(total)]


def test_alexnet_reference_means():
    # The per-severity table reproduces the usual per-corruption means.
    means = dict(gaussian_noise=0.886428, brightness=0.564592,
                 jpeg_compression=0.606500, elastic_transform=0.646056)
    for corruption, mean in means.items():
        assert sum(ALEXNET_ERRORS[corruption]) / 5 == pytest.approx(
            mean, abs=1e-6)
    assert set(ALEXNET_ERRORS) == set(IMAGENET_C_CORRUPTIONS)


def test_imagenet_c_metric_mce():
    metric = ImageNetCMetric()
    # Severity s of every corruption: 10 - s hits out of 10.
    for corruption in IMAGENET_C_CORRUPTIONS:
        for severity in range(1, 6):
            metric.process(None, _c_samples(corruption, severity,
                                            10 - severity, 10))
    metrics = metric.compute_metrics(metric.results)
    # Top-1 per severity: 90, 80, ..., 50 -> mean 70; errors sum to 150.
    assert metrics['top1'] == pytest.approx(70)
    assert metrics['fog/3/top1'] == pytest.approx(70)
    ces = {c: 100 * 150 / (100 * sum(ALEXNET_ERRORS[c]))
           for c in IMAGENET_C_CORRUPTIONS}
    assert metrics['fog/CE'] == pytest.approx(ces['fog'])
    assert metrics['mCE'] == pytest.approx(sum(ces.values()) / 15)

    partial = ImageNetCMetric()
    partial.process(None, _c_samples('fog', 1, 3, 4))
    metrics = partial.compute_metrics(partial.results)
    assert metrics == {'top1': 75.0, 'fog/top1': 75.0, 'fog/1/top1': 75.0}
    with pytest.raises(KeyError, match='meta_keys'):
        partial.process(None, [dict(pred_label=torch.tensor([0]),
                                    gt_label=torch.tensor([0]))])


def test_shape_bias():
    metric = ShapeBias(categories=dict(a=[0, 1], b=[2], c=[3, 4]))
    # Category scores are the mean over their classes: a row with a
    # single class 0 at 0.5 gives a=0.25 < b=0.3.
    scores = torch.tensor([
        [0.5, 0.0, 0.3, 0.1, 0.1],  # b
        [0.4, 0.4, 0.1, 0.1, 0.0],  # a
        [0.0, 0.0, 0.1, 0.5, 0.4],  # c
        [0.0, 0.0, 0.9, 0.1, 0.0],  # b
        [0.9, 0.1, 0.0, 0.0, 0.0],  # a (shape == texture: left out)
    ])
    cues = [(0, 1), (0, 2), (1, 2), (2, 0), (0, 0)]
    metric.process(None, [
        dict(pred_score=s, shape_label=shape, texture_label=texture)
        for s, (shape, texture) in zip(scores, cues)])
    metrics = metric.compute_metrics(metric.results)
    # Decisions b, a, c, b on (shape, texture) (a,b) (a,c) (b,c) (c,a):
    # texture, shape, texture, neither.
    assert metrics['shape_match'] == 25.0
    assert metrics['texture_match'] == 50.0
    assert metrics['shape_bias'] == pytest.approx(1 / 3)


def test_robust_accuracy():
    metric = RobustAccuracy()
    metric.process(None, [
        dict(adv_pred_label=torch.tensor([p]), gt_label=torch.tensor([g]))
        for p, g in [(0, 0), (1, 2), (2, 2), (3, 0)]
    ])
    assert metric.compute_metrics(metric.results) == dict(top1=50.0)
    assert metric.prefix == 'robust'
    with pytest.raises(KeyError, match='AdversarialTestLoop'):
        metric.process(None, [dict(pred_label=torch.tensor([0]),
                                   gt_label=torch.tensor([0]))])
