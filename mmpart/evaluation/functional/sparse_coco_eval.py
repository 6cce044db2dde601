# Copyright (c) mmpart contributors. All rights reserved.
from collections import defaultdict
from typing import (AbstractSet, Dict, List, NamedTuple, Optional, Sequence,
                    Tuple)

import numpy as np
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval


class SparseCocoResult(NamedTuple):
    """What :func:`evaluate_sparse` returns.

    Attributes:
        stats (np.ndarray): The 12 numbers of ``COCOeval.summarize()``
            (AP, AP50, AP75, AP small/medium/large, AR at each of the 3
            ``max_dets``, AR small/medium/large), fractions, -1 where no
            category has a ground truth.
        cat_ids (list[int]): The evaluated category ids, sorted.
        category_ap (np.ndarray): AP (IoU .50:.95, all areas, the largest
            ``max_dets``) of each of ``cat_ids``, -1 for a category without
            ground truth.
    """
    stats: np.ndarray
    cat_ids: List[int]
    category_ap: np.ndarray


def _group_annotations(coco: COCO, img_ids: Sequence[int],
                       cat_ids: Sequence[int], iou_type: str,
                       is_gt: bool) -> Dict[Tuple[int, int], List[dict]]:
    """Copies of the annotations of ``img_ids`` and ``cat_ids``, grouped by
    (image id, category id), as ``COCOeval._prepare`` makes them.

    ``COCOeval._prepare`` filters the annotations with ``category_id in
    catIds`` on a list (a scan of all categories per annotation); a set
    does it in constant time. The order within a group is the order of
    ``coco.imgToAnns``, as in ``COCOeval``, so score ties sort alike.
    The annotations are copied so that ``coco`` is left unchanged.

    Args:
        coco (COCO): Ground truth or detections.
        img_ids (Sequence[int]): Images to keep.
        cat_ids (Sequence[int]): Categories to keep.
        iou_type (str): 'bbox' or 'segm' (segmentations become RLE).
        is_gt (bool): Whether these are ground truths (they get the
            ``ignore`` flag ``COCOeval`` gives them: ``iscrowd``).

    Returns:
        dict[tuple[int, int], list[dict]]: The annotations of each
        (image id, category id) that has any.
    """
    wanted = set(cat_ids)
    groups = defaultdict(list)
    for img_id in img_ids:
        for ann in coco.imgToAnns.get(img_id, ()):
            if ann['category_id'] not in wanted:
                continue
            ann = dict(ann)
            if iou_type == 'segm':
                ann['segmentation'] = coco.annToRLE(ann)
            if is_gt:
                ann['ignore'] = 'iscrowd' in ann and ann['iscrowd']
            groups[img_id, ann['category_id']].append(ann)
    return groups


def _evaluate_without_gt(dts: List[dict], area_rng: Sequence[float],
                         max_det: int, num_thrs: int) -> dict:
    """``COCOeval.evaluateImg`` of an (image, category) pair with detections
    and no ground truth, without the matching loops: every detection is
    unmatched, and ignored when its area is outside ``area_rng``. Only the
    fields that :func:`_accumulate_category` reads are filled.

    Args:
        dts (list[dict]): The pair's detections.
        area_rng (Sequence[float]): The area range.
        max_det (int): Detections kept (the best scores).
        num_thrs (int): Number of IoU thresholds.

    Returns:
        dict: ``dtScores``, ``dtMatches``, ``dtIgnore``, ``gtIgnore``.
    """
    order = np.argsort([-d['score'] for d in dts], kind='mergesort')
    dts = [dts[i] for i in order[:max_det]]
    outside = np.array(
        [d['area'] < area_rng[0] or d['area'] > area_rng[1] for d in dts])
    return dict(
        dtScores=[d['score'] for d in dts],
        dtMatches=np.zeros((num_thrs, len(dts))),
        dtIgnore=np.repeat(outside[None], num_thrs, axis=0),
        gtIgnore=np.zeros(0))


def _accumulate_category(
    evals: List[dict], iou_thrs: np.ndarray, rec_thrs: np.ndarray,
    max_dets: Sequence[int]
) -> Optional[Tuple[np.ndarray, np.ndarray]]:
    """``COCOeval.accumulate`` for one category and area range, vectorised.

    The same numbers, bit for bit: the precision envelope (pycocotools
    carries each precision back over a Python loop) is a reversed running
    maximum, the recall-threshold lookup (a Python loop stopped by an
    IndexError) is a masked gather, and the recall at a smaller max-dets
    is the true-positive count among each image's first detections (the
    last value of pycocotools' cumulative sum) over the same divisor.

    Args:
        evals (list[dict]): ``COCOeval.evaluateImg`` of each image with a
            ground truth or a detection of the category, in image id
            order, at the largest ``max_dets``.
        iou_thrs (np.ndarray): IoU thresholds (T, ).
        rec_thrs (np.ndarray): Recall thresholds (R, ).
        max_dets (Sequence[int]): Sorted max detections per image (M, ).

    Returns:
        tuple[np.ndarray, np.ndarray] | None: The precision (T, R) at the
        largest ``max_dets`` and the recall (T, M); None when no ground
        truth counts (COCOeval leaves -1 there).
    """
    gt_ignore = np.concatenate([e['gtIgnore'] for e in evals])
    num_gts = np.count_nonzero(gt_ignore == 0)
    if num_gts == 0:
        return None
    scores = np.concatenate([e['dtScores'] for e in evals])
    ranks = np.concatenate([np.arange(len(e['dtScores'])) for e in evals])
    matches = np.concatenate([e['dtMatches'] for e in evals], axis=1)
    ignored = np.concatenate([e['dtIgnore'] for e in evals], axis=1)
    tps = np.logical_and(matches, np.logical_not(ignored))
    fps = np.logical_and(np.logical_not(matches), np.logical_not(ignored))

    recall = np.stack([
        np.count_nonzero(tps[:, ranks < max_det], axis=1) / num_gts
        for max_det in max_dets
    ], axis=1)

    order = np.argsort(-scores, kind='mergesort')
    tp_sum = np.cumsum(tps[:, order], axis=1).astype(dtype=float)
    fp_sum = np.cumsum(fps[:, order], axis=1).astype(dtype=float)
    rc = tp_sum / num_gts
    pr = tp_sum / (fp_sum + tp_sum + np.spacing(1))
    pr = np.flip(np.maximum.accumulate(np.flip(pr, axis=1), axis=1), axis=1)
    num_dets = len(scores)
    precision = np.zeros((len(iou_thrs), len(rec_thrs)))
    for t in range(len(iou_thrs)):
        inds = np.searchsorted(rc[t], rec_thrs, side='left')
        found = inds < num_dets
        precision[t, found] = pr[t, inds[found]]
    return precision, recall


def evaluate_category(
    coco_eval: COCOeval,
    cat_id: int,
    img_ids: Sequence[int],
    max_dets: Sequence[int],
    lenient_img_ids: AbstractSet[int] = frozenset()
) -> Tuple[np.ndarray, np.ndarray]:
    """Precision and recall of one category in every area range, as
    ``COCOeval.evaluate`` and ``accumulate`` give them, from its images
    only.

    pycocotools' ``computeIoU`` and ``evaluateImg`` run on the images with
    a ground truth of the category, :func:`_evaluate_without_gt` on the
    others, and :func:`_accumulate_category` accumulates. In
    ``lenient_img_ids`` the unmatched detections are ignored: LVIS's rule
    for a category whose annotation is not exhaustive in an image (COCO has
    no such rule; :func:`evaluate_sparse` passes none).

    Args:
        coco_eval (COCOeval): Holds the parameters and the grouped
            annotations ``_gts`` and ``_dts`` (keyed by image id and
            category id, ground truths with an ``ignore`` flag);
            ``coco_eval.ious`` is overwritten.
        cat_id (int): The category.
        img_ids (Sequence[int]): The images with a ground truth or a
            detection of the category, sorted.
        max_dets (Sequence[int]): Sorted max detections per image (M, );
            the largest caps the category's detections in each image.
        lenient_img_ids (AbstractSet[int]): Images whose unmatched
            detections of the category are ignored. Defaults to none.

    Returns:
        tuple[np.ndarray, np.ndarray]: The precision (T, R, A) at the
        largest ``max_dets`` and the recall (T, A, M), -1 in the area
        ranges where no ground truth counts.
    """
    params = coco_eval.params
    num_thrs, num_areas = len(params.iouThrs), len(params.areaRng)
    precision = -np.ones((num_thrs, len(params.recThrs), num_areas))
    recall = -np.ones((num_thrs, num_areas, len(max_dets)))
    with_gt = {
        img_id
        for img_id in img_ids if coco_eval._gts.get((img_id, cat_id))
    }
    coco_eval.ious = {(img_id, cat_id): coco_eval.computeIoU(img_id, cat_id)
                      for img_id in with_gt}
    for a, area_rng in enumerate(params.areaRng):
        evals = [
            coco_eval.evaluateImg(img_id, cat_id, area_rng, max_dets[-1])
            if img_id in with_gt else _evaluate_without_gt(
                coco_eval._dts[img_id, cat_id], area_rng, max_dets[-1],
                num_thrs) for img_id in img_ids
        ]
        for img_id, result in zip(img_ids, evals):
            if img_id in lenient_img_ids:
                result['dtIgnore'] = np.logical_or(result['dtIgnore'],
                                                   result['dtMatches'] == 0)
        accumulated = _accumulate_category(evals, params.iouThrs,
                                           params.recThrs, max_dets)
        if accumulated is not None:
            precision[:, :, a], recall[:, a] = accumulated
    return precision, recall


def mean_valid(values: np.ndarray) -> float:
    """The mean of the entries > -1, -1 if none, as ``summarize`` does."""
    valid = values[values > -1]
    return np.mean(valid) if valid.size else -1


def _summarize(precision: np.ndarray, recall: np.ndarray,
               params) -> np.ndarray:
    """The 12 ``COCOeval.summarize()`` numbers.

    The entries are selected and flattened in ``summarize``'s order, so
    the means are bitwise equal. One difference: ``summarize`` takes the
    first number (AP@[.50:.95]) at ``maxDets=100`` whatever ``maxDets``
    is (-1 when 100 is not in it); here it is at the largest max-dets,
    like the other AP numbers. With ``max_dets=(1, 10, 100)`` all 12 are
    ``summarize``'s.

    Args:
        precision (np.ndarray): (T, R, K, A) at the largest max-dets.
        recall (np.ndarray): (T, K, A, M).
        params (Params): The COCOeval parameters (IoU thresholds, area
            range labels).

    Returns:
        np.ndarray: (12, ).
    """
    def iou_index(iou_thr):
        return np.where(iou_thr == params.iouThrs)[0]

    area = {label: i for i, label in enumerate(params.areaRngLbl)}
    stats = np.zeros((12, ))
    stats[0] = mean_valid(precision[..., area['all']])
    stats[1] = mean_valid(precision[iou_index(.5)][..., area['all']])
    stats[2] = mean_valid(precision[iou_index(.75)][..., area['all']])
    for i, label in enumerate(('small', 'medium', 'large')):
        stats[3 + i] = mean_valid(precision[..., area[label]])
    for m in range(3):
        stats[6 + m] = mean_valid(recall[:, :, area['all'], m])
    for i, label in enumerate(('small', 'medium', 'large')):
        stats[9 + i] = mean_valid(recall[:, :, area[label], 2])
    return stats


def evaluate_sparse(coco_gt: COCO,
                    coco_dt: Optional[COCO],
                    iou_type: str,
                    cat_ids: Sequence[int],
                    img_ids: Optional[Sequence[int]] = None,
                    max_dets: Sequence[int] = (1, 10, 300)
                    ) -> SparseCocoResult:
    """COCO detection / instance segmentation evaluation that scales with
    the number of (image, category) pairs that have an annotation, not
    with images x categories.

    ``COCOeval.evaluate`` visits every (image, category) pair (twice: IoU,
    then 4 area ranges), and ``accumulate`` every (category, area, max-dets,
    image) with Python loops over the detections; with the 3310 part
    categories of PIN++ and 10k images that is hundreds of millions of
    Python steps, nearly all on pairs without a ground truth or a
    detection. Such a pair gives ``evaluateImg`` None, which ``accumulate``
    drops, so it changes nothing. Here each category is evaluated only on
    the images with a ground truth or a detection of it: the annotations
    are grouped once, pycocotools' own ``computeIoU`` and ``evaluateImg``
    (so the matching is pycocotools') run on the pairs with a ground truth
    only (a pair with detections only has nothing to match, see
    :func:`_evaluate_without_gt`), and the accumulation is vectorised (see
    :func:`_accumulate_category`). The cost
    is linear in the annotations plus a small constant per category; the
    numbers equal ``COCOeval``'s (see :func:`_summarize` for the one
    deliberate difference, the first number's max-dets).

    As in ``COCOeval``, ``max_dets`` caps the detections of each category
    in each image (the top scores); a model's per-image cap (e.g.
    ``test_cfg.rcnn.max_per_img``) applies before.

    Args:
        coco_gt (COCO): Ground truth.
        coco_dt (COCO, optional): Detections (``coco_gt.loadRes``). None
            means no detection at all (``loadRes`` refuses an empty list):
            every category with a ground truth then has AP and AR 0, as
            ``COCOeval`` gives.
        iou_type (str): 'bbox' or 'segm'.
        cat_ids (Sequence[int]): Categories to evaluate; other categories'
            ground truths and detections are ignored.
        img_ids (Sequence[int], optional): Images to evaluate (the others'
            annotations are ignored). Defaults to all of ``coco_gt``.
        max_dets (Sequence[int]): Three max detections per image, for AR
            (and the largest also for AP). Defaults to (1, 10, 300).

    Returns:
        SparseCocoResult: ``stats``, ``cat_ids`` (sorted) and
        ``category_ap``. When no category has a ground truth in the
        images, every number is -1, as ``COCOeval.summarize`` gives.
    """
    if iou_type not in ('bbox', 'segm'):
        raise ValueError(f"iou_type must be 'bbox' or 'segm', not {iou_type}")
    if len(max_dets) != 3:
        raise ValueError(f'max_dets must have 3 values, not {max_dets}')
    cat_ids = sorted(set(cat_ids))
    img_ids = sorted(set(coco_gt.getImgIds() if img_ids is None else img_ids))
    max_dets = sorted(max_dets)

    coco_eval = COCOeval(iouType=iou_type)
    params = coco_eval.params
    params.catIds, params.imgIds, params.maxDets = cat_ids, img_ids, max_dets
    coco_eval._gts = _group_annotations(coco_gt, img_ids, cat_ids, iou_type,
                                        True)
    coco_eval._dts = defaultdict(list)
    if coco_dt is not None:
        coco_eval._dts.update(
            _group_annotations(coco_dt, img_ids, cat_ids, iou_type, False))
    images_of = defaultdict(set)
    for img_id, cat_id in [*coco_eval._gts, *coco_eval._dts]:
        images_of[cat_id].add(img_id)

    precision = -np.ones((len(params.iouThrs), len(params.recThrs),
                          len(cat_ids), len(params.areaRng)))
    recall = -np.ones(
        (len(params.iouThrs), len(cat_ids), len(params.areaRng),
         len(max_dets)))
    for k, cat_id in enumerate(cat_ids):
        if images_of[cat_id]:
            precision[:, :, k], recall[:, k] = evaluate_category(
                coco_eval, cat_id, sorted(images_of[cat_id]), max_dets)

    category_ap = np.array(
        [mean_valid(precision[:, :, k, 0]) for k in range(len(cat_ids))],
        dtype=float)
    return SparseCocoResult(
        stats=_summarize(precision, recall, params),
        cat_ids=cat_ids,
        category_ap=category_ap)
