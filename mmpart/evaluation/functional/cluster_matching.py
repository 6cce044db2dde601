# Copyright (c) mmpart contributors. All rights reserved.
"""Scoring an over-clustering of dense features against part maps.

An unsupervised probe (as in Leopart, Ziegler & Asano, CVPR 2022) clusters
the feature vectors into ``k = m x C`` clusters (``C`` the classes in the
labels, ``m`` clusters per class) and matches the clusters to the classes
before computing the mIoU. The matching is one-to-one in the Hungarian
sense on a cost matrix whose columns are the ``C`` classes each replicated
``m`` times: every cluster gets one class and every class at most ``m``
clusters (exactly ``m`` when ``k = m x C``), maximising the number of
pixels whose cluster's class is their label.
"""
from typing import Sequence

import numpy as np
from mmseg.evaluation import IoUMetric
from scipy.optimize import linear_sum_assignment

from mmpart.structures import MAP_IGNORE_INDEX
from .iou_areas import sparse_areas, total_areas


def mean_iou(preds: Sequence[np.ndarray],
             labels: Sequence[np.ndarray],
             num_classes: int,
             ignore_index: int = MAP_IGNORE_INDEX) -> float:
    """mmseg's mIoU of predictions over a set of images, in percent.

    The images' sparse areas (:func:`~.iou_areas.sparse_areas`) summed and
    mmseg's ``IoUMetric.total_area_to_metrics``; as there, a class absent
    from both the predictions and the labels of every image has a nan IoU
    and is left out of the mean.

    Args:
        preds (Sequence[np.ndarray]): Predicted class ids, one map per
            image.
        labels (Sequence[np.ndarray]): Label maps of the same shapes.
        num_classes (int): Number of classes (ids ``0 .. num_classes-1``).
        ignore_index (int): Label value left out. Defaults to 65535.

    Returns:
        float: The mIoU in percent.
    """
    areas = [
        sparse_areas(pred, label, num_classes, ignore_index)
        for pred, label in zip(preds, labels)
    ]
    iou = IoUMetric.total_area_to_metrics(
        *total_areas(areas, num_classes), ['mIoU'])['IoU']
    if np.isnan(iou).all():
        raise ValueError('no labelled pixel and no prediction to score')
    return float(np.nanmean(iou) * 100)


def match_clusters(overlap: np.ndarray, clusters_per_class: int) -> np.ndarray:
    """Match clusters to classes, each class taking at most
    ``clusters_per_class`` clusters, maximising the total overlap.

    The Hungarian algorithm (``scipy.optimize.linear_sum_assignment``) is
    one-to-one, so each class is replicated ``clusters_per_class`` times
    as columns of the cost matrix; with ``k = m x C`` clusters the matrix
    is square and every class gets exactly ``m`` clusters.

    Args:
        overlap (np.ndarray): ``(k, C)`` pixels of each cluster labelled
            with each class.
        clusters_per_class (int): ``m``, at least ``k / C``.

    Returns:
        np.ndarray: ``(k, )`` int64, the class (column) of each cluster.
    """
    overlap = np.asarray(overlap, dtype=np.float64)
    if overlap.ndim != 2:
        raise ValueError(f'overlap must be (clusters, classes), got shape '
                         f'{overlap.shape}')
    num_clusters, num_classes = overlap.shape
    if num_clusters > clusters_per_class * num_classes:
        raise ValueError(f'{num_clusters} clusters cannot go to {num_classes} '
                         f'classes with at most {clusters_per_class} each')
    # Column r * C + j is copy r of class j.
    rows, cols = linear_sum_assignment(
        np.tile(overlap, (1, clusters_per_class)), maximize=True)
    classes = np.empty(num_clusters, dtype=np.int64)
    classes[rows] = cols % num_classes
    return classes


def matched_miou(cluster_maps: Sequence[np.ndarray],
                 label_maps: Sequence[np.ndarray],
                 num_clusters: int,
                 clusters_per_class: int,
                 ignore_index: int = MAP_IGNORE_INDEX) -> float:
    """mIoU of cluster maps after matching the clusters to the classes
    present in the labels (see :func:`match_clusters`).

    The classes are the label values present (``ignore_index`` left out),
    so ``num_clusters`` should be ``clusters_per_class`` times their
    number; the mean runs over these classes.

    Args:
        cluster_maps (Sequence[np.ndarray]): Cluster ids
            (``0 .. num_clusters-1``), one map per image.
        label_maps (Sequence[np.ndarray]): Label maps of the same shapes.
        num_clusters (int): Number of clusters.
        clusters_per_class (int): Clusters each class may take.
        ignore_index (int): Label value left out. Defaults to 65535.

    Returns:
        float: The mIoU in percent.
    """
    label_maps = [np.asarray(label, dtype=np.int64) for label in label_maps]
    valid = [label != ignore_index for label in label_maps]
    classes = np.unique(
        np.concatenate([label[v] for label, v in zip(label_maps, valid)]))
    if not classes.size:
        raise ValueError('the label maps have no labelled pixel')
    # Labels as indices into the present classes, ignore kept.
    compact = [
        np.where(v, np.searchsorted(classes, label), ignore_index)
        for label, v in zip(label_maps, valid)
    ]
    pairs = np.concatenate([
        np.asarray(clusters, dtype=np.int64)[v] * classes.size + label[v]
        for clusters, label, v in zip(cluster_maps, compact, valid)
    ])
    overlap = np.bincount(
        pairs, minlength=num_clusters * classes.size).reshape(
            num_clusters, classes.size)
    cluster_classes = match_clusters(overlap, clusters_per_class)
    preds = [cluster_classes[np.asarray(clusters, dtype=np.int64)]
             for clusters in cluster_maps]
    return mean_iou(preds, compact, classes.size, ignore_index)
