# Copyright (c) mmpart contributors. All rights reserved.
import itertools

import numpy as np
import pytest

from mmpart.evaluation.functional import match_clusters, matched_miou, mean_iou


def numpy_miou(preds, labels, num_classes, ignore_index=65535):
    """An independent mIoU: IoU per class over all images, nan classes
    (neither predicted nor labelled) left out."""
    pred = np.concatenate([p.ravel() for p in preds])
    label = np.concatenate([lab.ravel() for lab in labels])
    pred, label = pred[label != ignore_index], label[label != ignore_index]
    ious = []
    for c in range(num_classes):
        union = ((pred == c) | (label == c)).sum()
        if union:
            ious.append(((pred == c) & (label == c)).sum() / union)
    return 100 * np.mean(ious)


def test_mean_iou_matches_numpy():
    rng = np.random.default_rng(0)
    preds = [rng.integers(0, 5, (6, 7)) for _ in range(3)]
    labels = [rng.integers(0, 4, (6, 7)) for _ in range(3)]
    labels[0][0, :3] = 65535
    # Class 5 is neither predicted nor labelled: left out of the mean.
    assert mean_iou(preds, labels, 6) == pytest.approx(
        numpy_miou(preds, labels, 6))
    assert mean_iou(labels, labels, 6) == pytest.approx(100)


def test_match_clusters_gives_each_class_m_clusters():
    overlap = np.array([[9, 0], [8, 1], [7, 2], [0, 1]])
    # Greedy would give three clusters to class 0; m = 2 caps it.
    classes = match_clusters(overlap, 2)
    assert np.bincount(classes, minlength=2).tolist() == [2, 2]
    assert classes.tolist() == [0, 0, 1, 1]
    with pytest.raises(ValueError):
        match_clusters(overlap, 1)


@pytest.mark.parametrize('seed', range(4))
def test_matched_miou_equals_brute_force(seed):
    rng = np.random.default_rng(seed)
    num_clusters, num_classes, m = 4, 2, 2
    clusters = [rng.integers(0, num_clusters, (5, 6)) for _ in range(2)]
    labels = [rng.choice([3, 7], (5, 6)) for _ in range(2)]  # sparse ids
    labels[1][0, 0] = 65535
    compact = [np.where(lab == 65535, 65535, (lab == 7).astype(int))
               for lab in labels]
    best, best_miou = -1, []
    # Every assignment of the 4 clusters with each class taking exactly 2.
    for assign in itertools.product(range(num_classes), repeat=num_clusters):
        if np.bincount(assign, minlength=num_classes).tolist() != [m, m]:
            continue
        assign = np.array(assign)
        preds = [assign[c] for c in clusters]
        hits = sum(((p == lab) & (lab != 65535)).sum()
                   for p, lab in zip(preds, compact))
        miou = numpy_miou(preds, compact, num_classes)
        if hits > best:
            best, best_miou = hits, [miou]
        elif hits == best:
            best_miou.append(miou)
    result = matched_miou(clusters, labels, num_clusters, m)
    # The Hungarian matching maximises the pixels matched; its mIoU is the
    # mIoU of a best assignment (any of them when several tie).
    assert any(result == pytest.approx(miou) for miou in best_miou)
    assert 0 <= result <= 100
