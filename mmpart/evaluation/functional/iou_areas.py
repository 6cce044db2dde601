# Copyright (c) mmpart contributors. All rights reserved.
"""Sparse IoU areas: mmseg's intersection, union, prediction and label areas
kept only for the classes an image touches.

mmseg's ``IoUMetric.intersect_and_union`` returns dense ``(num_classes, )``
histograms; with the 3311 part classes of PIN++ an image touches a handful,
and dense areas kept per image take hundreds of MB over a validation set.
Every part-IoU score of mmpart (``PartIoUMetric``, ``PartSegMetric``,
:func:`~mmpart.evaluation.functional.mean_iou`,
:func:`~mmpart.pseudo_label.score_pseudo_labels`) sums these areas and
hands the totals to mmseg's ``IoUMetric.total_area_to_metrics``, so the
values are mmseg's.
"""
from typing import Sequence, Tuple

import numpy as np
import torch

from mmpart.structures import IdMap, as_ids, check_ids

#: The areas of one image, kept for the classes it touches: the class ids
#: ``(K, )`` and mmseg's intersection, union, prediction and label areas
#: ``(4, K)``.
SparseAreas = Tuple[torch.Tensor, torch.Tensor]


def percent(value):
    """Ratios (a number or an array) as mmseg reports them: percent, 2
    decimals.

    Args:
        value (float | np.ndarray | Tensor): Ratios in ``[0, 1]`` (nan
            kept).

    Returns:
        np.ndarray | np.float64: ``value * 100`` rounded to 2 decimals.
    """
    return np.round(np.asarray(value, dtype=np.float64) * 100, 2)


def sparse_areas(pred: IdMap,
                 label: IdMap,
                 num_classes: int,
                 ignore_index: int,
                 pred_source: str = 'prediction',
                 label_source: str = 'label map') -> SparseAreas:
    """mmseg's areas of one image, for the classes it touches.

    As ``IoUMetric.intersect_and_union``, pixels whose label is
    ``ignore_index`` are left out; ids that are neither a class nor
    ``ignore_index`` are refused
    (:func:`~mmpart.structures.check_ids`). Counted with
    ``bincount`` over the touched classes, so exact (mmseg's ``histc``
    is float32).

    Args:
        pred (Tensor | np.ndarray): Predicted ids, ``(H, W)``. A prediction
            of ``ignore_index`` on a labelled pixel counts as a miss.
        label (Tensor | np.ndarray): Label ids of the same shape.
        num_classes (int): Number of classes.
        ignore_index (int): The label value left out.
        pred_source (str): The prediction's name in errors.
        label_source (str): The label map's name in errors (its file).

    Returns:
        SparseAreas: The classes present in the prediction or the label
        (at labelled pixels), and their areas (int64).
    """
    pred, label = as_ids(pred), as_ids(label)
    if pred.shape != label.shape:
        raise ValueError(f'{pred_source} has shape {tuple(pred.shape)}, '
                         f'{label_source} {tuple(label.shape)}')
    check_ids(label, num_classes, ignore_index, label_source)
    check_ids(pred, num_classes, ignore_index, pred_source)
    labelled = label != ignore_index
    pred, label = pred[labelled], label[labelled]
    predicted = pred != ignore_index
    classes, index = torch.unique(
        torch.cat([pred[predicted], label]), return_inverse=True)
    pred_index = index[:int(predicted.sum())]
    label_index = index[pred_index.numel():]
    hit = label_index[predicted][pred[predicted] == label[predicted]]
    count = classes.numel()
    area_intersect = torch.bincount(hit, minlength=count)
    area_pred = torch.bincount(pred_index, minlength=count)
    area_label = torch.bincount(label_index, minlength=count)
    area_union = area_pred + area_label - area_intersect
    return classes, torch.stack(
        [area_intersect, area_union, area_pred, area_label])


def total_areas(results: Sequence[SparseAreas],
                num_classes: int) -> Tuple[torch.Tensor, ...]:
    """Sum the images' areas, in float64 (counts stay exact).

    Args:
        results (Sequence[SparseAreas]): One entry per image.
        num_classes (int): Number of classes.

    Returns:
        tuple[Tensor]: mmseg's total intersection, union, prediction and
        label areas, each ``(num_classes, )``, for
        ``IoUMetric.total_area_to_metrics``.
    """
    total = torch.zeros(4, num_classes, dtype=torch.float64)
    for classes, areas in results:
        total.index_add_(1, classes, areas.to(total))
    return tuple(total)
