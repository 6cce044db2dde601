# Copyright (c) mmpart contributors. All rights reserved.
"""Score pseudo part masks against human ones (images labelled with
``--include-annotated`` into another root)."""
import os.path as osp
from collections import OrderedDict
from typing import Optional, Sequence

import cv2
import numpy as np
from mmseg.evaluation import IoUMetric

from mmpart.datasets import MAP_IGNORE_INDEX, PINPPLayout, split_sample_key
from mmpart.evaluation.functional.iou_areas import (percent, sparse_areas,
                                                    total_areas)
from mmpart.structures import check_ids


def read_part_map(path: str) -> Optional[np.ndarray]:
    """A 16-bit part map as int64, or None if the file does not exist.

    Args:
        path (str): The PNG.

    Returns:
        np.ndarray | None: ``(H, W)`` int64 global part ids.
    """
    if not osp.exists(path):
        return None
    part_map = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if part_map is None or part_map.ndim != 2:
        raise ValueError(f'{path} is not a single-channel part map')
    return part_map.astype(np.int64)


def _percent(value) -> Optional[float]:
    """A ratio as a rounded percentage; None for nan (nothing scored)."""
    value = float(percent(value))
    return None if np.isnan(value) else value


def score_pseudo_labels(pred_root: str, gt_root: str, images: Sequence[str],
                        num_classes: int) -> dict:
    """Score the pseudo masks of images that have human masks.

    Pixels ignored (65535) in either mask are left out of the IoU: a
    pseudo mask is scored where it says something, and ``coverage`` says
    how much that is. An image without a pseudo mask (reported empty or
    all-ignored by the labeller, so never written) counts as all-ignored.

    Args:
        pred_root (str): The root with the pseudo masks,
            ``seg/<wnid>/<stem>.png``.
        gt_root (str): The processed root with the human masks.
        images (Sequence[str]): ``<wnid>/<stem>`` keys (a split list).
        num_classes (int): Number of part classes, background included.

    Returns:
        dict: ``mIoU`` (percent, the mean over the classes whose union is
        not empty, as mmseg's ``IoUMetric``), ``aAcc`` (percent of the
        scored pixels), ``coverage`` (percent of the human masks'
        non-ignored pixels that the pseudo masks did not ignore),
        ``images`` (how many were scored) and ``missing`` (the keys
        without a pseudo mask, sorted). ``mIoU`` and ``aAcc`` are None if
        no pixel was scored.
    """
    pred_layout, gt_layout = PINPPLayout(pred_root), PINPPLayout(gt_root)
    areas = []
    labelled = covered = 0
    missing = []
    for key in images:
        wnid, stem = split_sample_key(key)
        gt_path = gt_layout.seg_map(wnid, stem)
        gt = read_part_map(gt_path)
        if gt is None:
            raise FileNotFoundError(f'{key} has no human mask {gt_path}')
        check_ids(gt, num_classes, MAP_IGNORE_INDEX, gt_path)
        gt_valid = gt != MAP_IGNORE_INDEX
        labelled += int(gt_valid.sum())
        pred_path = pred_layout.seg_map(wnid, stem)
        pred = read_part_map(pred_path)
        if pred is None:
            missing.append(key)
            continue
        if pred.shape != gt.shape:
            raise ValueError(f'{pred_path} has shape {pred.shape}, the human '
                             f'mask {gt_path} {gt.shape}')
        pred_valid = pred != MAP_IGNORE_INDEX
        covered += int((gt_valid & pred_valid).sum())
        # mmseg leaves out the label's ignored pixels: mark the pixels the
        # pseudo mask ignores ignored in the label too.
        gt[~pred_valid] = MAP_IGNORE_INDEX
        areas.append(
            sparse_areas(pred, gt, num_classes, MAP_IGNORE_INDEX, pred_path,
                         gt_path))
    metrics = IoUMetric.total_area_to_metrics(
        *total_areas(areas, num_classes), ['mIoU'])
    iou = metrics['IoU'][~np.isnan(metrics['IoU'])]
    return OrderedDict(
        mIoU=_percent(iou.mean()) if iou.size else None,
        aAcc=_percent(metrics['aAcc']),
        coverage=_percent(covered / labelled) if labelled else None,
        images=len(images),
        missing=sorted(missing))
