# Copyright (c) mmpart contributors. All rights reserved.
from collections import OrderedDict, defaultdict
from typing import (TYPE_CHECKING, Dict, List, NamedTuple, Optional, Sequence,
                    Set, Tuple)

import numpy as np
import pycocotools.mask as mask_utils
from pycocotools.cocoeval import COCOeval

from .sparse_coco_eval import evaluate_category, mean_valid

if TYPE_CHECKING:
    from lvis import LVIS

#: The two rules for the unmatched detections of a category that is not
#: exhaustively annotated in an image (see :func:`evaluate_federated`).
NOT_EXHAUSTIVE_RULES = ('official', 'lvis')
#: LVIS's frequency groups (``frequency`` of a category), for APr/APc/APf.
FREQUENCIES = ('r', 'c', 'f')
#: The ``supercategory`` of the categories averaged into obj-AP / part-AP.
OBJECT_SUPERCATEGORY, PART_SUPERCATEGORY = 'object', 'part'


class FederatedAPResult(NamedTuple):
    """What :func:`evaluate_federated` returns.

    Attributes:
        summary (OrderedDict[str, float]): ``LVISEval.summarize()``'s
            numbers under its keys (``AP``, ``AP50``, ``AP75``, ``APs``,
            ``APm``, ``APl``, ``APr``, ``APc``, ``APf``, ``AR@{max_dets}``,
            ``ARs@``, ``ARm@``, ``ARl@``), then ``obj-AP`` and ``part-AP``:
            fractions, -1 where nothing counts.
        cat_ids (list[int]): All categories of the ground truth, sorted: the
            order of the category axis below.
        category_ap (np.ndarray): AP (IoU .50:.95, all areas) of each of
            ``cat_ids``, -1 for a category without ground truth in the
            evaluated images.
        precision (np.ndarray): (T, R, K, A) as ``LVISEval.eval['precision']``
            (IoU thresholds, recall thresholds, categories, area ranges).
        recall (np.ndarray): (T, K, A) as ``LVISEval.eval['recall']``.
    """
    summary: Dict[str, float]
    cat_ids: List[int]
    category_ap: np.ndarray
    precision: np.ndarray
    recall: np.ndarray


def _counted(area: float) -> bool:
    """Whether LVIS evaluates an annotation of this area.

    ``LVIS.get_ann_ids`` (which ``LVISEval._prepare`` loads the ground
    truths and the detections with) keeps ``0 < area < inf`` only.
    """
    return 0 < area < float('inf')


def _ground_truths(lvis_gt: 'LVIS', img_ids: Sequence[int],
                   iou_type: str) -> Dict[Tuple[int, int], List[dict]]:
    """The evaluated ground truths, grouped by (image id, category id).

    As ``LVISEval._prepare``: areas outside (0, inf) are dropped, masks
    become RLE, ``ignore`` is kept (0 if absent) and ``iscrowd`` is not
    used (LVIS computes every IoU as with a plain instance). As the
    official ``PACO`` index: an annotation with an empty segmentation is
    dropped. The annotations are copies, in the file's order.

    Args:
        lvis_gt (LVIS): The ground truth.
        img_ids (Sequence[int]): The evaluated images.
        iou_type (str): 'bbox' or 'segm'.

    Returns:
        dict[tuple[int, int], list[dict]]: The ground truths of each pair
        that has any, with COCOeval's ``ignore`` and ``iscrowd`` fields.
    """
    groups = defaultdict(list)
    for img_id in img_ids:
        for ann in lvis_gt.img_ann_map.get(img_id, ()):
            if not ann['segmentation'] or not _counted(ann['area']):
                continue
            ann = dict(ann, ignore=ann.get('ignore', 0), iscrowd=0)
            if iou_type == 'segm':
                ann['segmentation'] = lvis_gt.ann_to_rle(ann)
            groups[img_id, ann['category_id']].append(ann)
    return groups


def _limit_per_image(results: Sequence[dict],
                     max_dets: int) -> Dict[int, List[dict]]:
    """The detections of each image, at most ``max_dets``, as
    ``LVISResults.limit_dets_per_image`` keeps them.

    The cap is over all categories (the best scores; a stable sort, so
    among equal scores the first ones are kept), before anything is
    filtered: a detection that the federated rule ignores still takes a
    place.

    Args:
        results (Sequence[dict]): Detections in LVIS results format.
        max_dets (int): Detections kept per image; negative keeps all.

    Returns:
        dict[int, list[dict]]: The kept detections of each image id.
    """
    per_image = defaultdict(list)
    for det in results:
        per_image[det['image_id']].append(det)
    if max_dets >= 0:
        for img_id, dets in per_image.items():
            if len(dets) > max_dets:
                per_image[img_id] = sorted(
                    dets, key=lambda det: det['score'],
                    reverse=True)[:max_dets]
    return per_image


def _detections(lvis_gt: 'LVIS', results: Sequence[dict],
                img_ids: Sequence[int], iou_type: str, max_dets: int,
                present: Dict[int, Set[int]]
                ) -> Dict[Tuple[int, int], List[dict]]:
    """The evaluated detections, grouped by (image id, category id).

    As ``LVISResults`` then ``LVISEval._prepare``: each image keeps its
    ``max_dets`` best detections; the area is the box's (``bbox``) or the
    mask's (``segm``; the official evaluation drops the boxes of mask
    results so that the mask area is used); areas outside (0, inf) and
    categories outside the ground truth's are dropped; and the federated
    rule keeps a detection only if its category is in the image's ground
    truth or in its ``neg_category_ids``.

    Args:
        lvis_gt (LVIS): The ground truth.
        results (Sequence[dict]): Detections in LVIS results format
            (``image_id``, ``category_id``, ``score``, and ``bbox``
            ``[x, y, w, h]`` or ``segmentation`` as compressed RLE).
        img_ids (Sequence[int]): The evaluated images.
        iou_type (str): 'bbox' or 'segm'.
        max_dets (int): Detections per image.
        present (dict[int, set[int]]): The categories of each image's
            evaluated ground truths.

    Returns:
        dict[tuple[int, int], list[dict]]: Copies of the kept detections
        of each pair, in the results' order, with ``area`` and an ``id``.

    Raises:
        ValueError: If a detection's image is not in the ground truth.
    """
    per_image = _limit_per_image(results, max_dets)
    unknown = set(per_image) - set(lvis_gt.imgs)
    if unknown:
        raise ValueError(f'{len(unknown)} detected images are not in the '
                         f'ground truth, e.g. image id {min(unknown)}')
    groups = defaultdict(list)
    next_id = 1
    for img_id in img_ids:
        dets = per_image.get(img_id, [])
        if iou_type == 'segm':
            areas = mask_utils.area([det['segmentation']
                                     for det in dets]) if dets else []
        else:
            areas = [det['bbox'][2] * det['bbox'][3] for det in dets]
        wanted = present.get(img_id, set()).union(
            lvis_gt.imgs[img_id]['neg_category_ids'])
        for det, area in zip(dets, areas):
            if det['category_id'] in wanted and _counted(area):
                groups[img_id, det['category_id']].append(
                    dict(det, area=area, id=next_id))
            next_id += 1
    return groups


def _summarize(precision: np.ndarray, recall: np.ndarray, params,
               frequency_groups: Sequence[List[int]],
               max_dets: int) -> Dict[str, float]:
    """``LVISEval.summarize()``: the same selections of the same arrays, so
    the same means.

    Args:
        precision (np.ndarray): (T, R, K, A).
        recall (np.ndarray): (T, K, A).
        params (Params): COCOeval parameters (IoU thresholds, area labels).
        frequency_groups (Sequence[list[int]]): Category positions of the
            rare, common and frequent groups.
        max_dets (int): Detections per image (for the AR keys).

    Returns:
        OrderedDict[str, float]: ``LVISEval.results``' keys and numbers.
    """
    def summarize(kind, iou_thr=None, area='all', group=None):
        aidx = [params.areaRngLbl.index(area)]
        s = precision if kind == 'ap' else recall
        if iou_thr is not None:
            s = s[np.where(iou_thr == params.iouThrs)[0]]
        if kind == 'ar':
            return mean_valid(s[:, :, aidx])
        if group is not None:
            return mean_valid(s[:, :, frequency_groups[group], aidx])
        return mean_valid(s[:, :, :, aidx])

    summary = OrderedDict()
    summary['AP'] = summarize('ap')
    summary['AP50'] = summarize('ap', iou_thr=.5)
    summary['AP75'] = summarize('ap', iou_thr=.75)
    for area in ('small', 'medium', 'large'):
        summary[f'AP{area[0]}'] = summarize('ap', area=area)
    for group, frequency in enumerate(FREQUENCIES):
        summary[f'AP{frequency}'] = summarize('ap', group=group)
    summary[f'AR@{max_dets}'] = summarize('ar')
    for area in ('small', 'medium', 'large'):
        summary[f'AR{area[0]}@{max_dets}'] = summarize('ar', area=area)
    return summary


def evaluate_federated(lvis_gt: 'LVIS',
                       results: Sequence[dict],
                       iou_type: str,
                       img_ids: Optional[Sequence[int]] = None,
                       max_dets: int = 300,
                       not_exhaustive: str = 'official'
                       ) -> FederatedAPResult:
    """LVIS-style federated AP, with the PIN++ paper's obj-AP and part-AP,
    at a cost linear in the annotations.

    Federated AP (LVIS, Gupta et al., CVPR 2019) is COCO AP over a
    ground truth that is not exhaustive in every category: a detection
    whose category is neither in its image's ground truth nor in the
    image's ``neg_category_ids`` (categories checked absent) is ignored,
    so unverified categories cost nothing. Each image keeps its
    ``max_dets`` best detections over all categories; AP is averaged over
    IoU .50:.95 and 101 recall points, per category (there is no
    per-category cap), then over categories. The PIN++ evaluation (the
    official ``PACOEval``, an ``LVISEval`` subclass) adds obj-AP and
    part-AP: the mean AP (all areas) over the categories whose
    ``supercategory`` is 'object', resp. 'part', that have a ground truth.

    ``LVISEval`` visits every (image, category) pair in Python, in
    ``evaluate`` and again in ``accumulate``; at PIN++'s 4308 categories
    that is tens of millions of visits per thousand images. Here, as in
    :func:`~mmpart.evaluation.functional.evaluate_sparse`, each category
    is evaluated on the images with a ground truth or a kept detection of
    it only, by pycocotools' ``computeIoU`` and ``evaluateImg`` (whose
    matching is ``LVISEval``'s once ``iscrowd`` is 0) and a vectorised
    accumulation (:func:`~.sparse_coco_eval.evaluate_category`).

    Two details of the official evaluator, checked on fixtures:

    - Not-exhaustive categories: ``LVISEval`` ignores the unmatched
      detections of a category listed in the image's
      ``not_exhaustive_category_ids``; ``PACOEval.evaluate_img`` has that
      rule commented out, so they count as false positives.
      ``not_exhaustive='official'`` follows ``PACOEval``, ``'lvis'``
      ``LVISEval``.
    - Category indexing: the official post-processing reads each
      category's precision at ``precision[:, :, cat_id, 0]``, but the
      category axis is the position in the sorted id list; with 1-based
      ids every category gets its successor's AP and the largest id is out
      of range. Here a category is read at its position, so obj-AP and
      part-AP may differ slightly from the paper's.

    The numbers are ``LVISEval``'s (``not_exhaustive='lvis'``; tested to
    1e-12 on random cases) or ``PACOEval.evaluate`` + ``accumulate``'s
    (``'official'``: ``LVISEval``'s on the same file without
    not-exhaustive lists). As the official ``PACO`` index, ground truths
    with an empty segmentation are not evaluated. Images not in
    ``img_ids`` are left out entirely (``LVISEval`` with ``params.img_ids``
    set).

    Args:
        lvis_gt (LVIS): The ground truth (``lvis.LVIS``): images with
            ``neg_category_ids`` and ``not_exhaustive_category_ids``,
            categories with ``supercategory`` and ``frequency``.
        results (Sequence[dict]): Detections in LVIS (COCO) results
            format: ``image_id``, ``category_id``, ``score``, and ``bbox``
            ``[x, y, w, h]`` (for 'bbox') or ``segmentation`` as compressed
            RLE (for 'segm'). Left unchanged. May be empty.
        iou_type (str): 'bbox' or 'segm'.
        img_ids (Sequence[int], optional): The evaluated images. Defaults
            to all of ``lvis_gt``.
        max_dets (int): Detections kept per image. Defaults to 300.
        not_exhaustive (str): 'official' or 'lvis', see above. Defaults
            to 'official'.

    Returns:
        FederatedAPResult: The summary, the sorted category ids, each
        category's AP, and the precision and recall arrays.

    Examples:
        >>> from lvis import LVIS
        >>> gt = LVIS('pinpp_test.json')  # doctest: +SKIP
        >>> res = evaluate_federated(gt, dets, 'segm')  # doctest: +SKIP
        >>> res.summary['obj-AP'], res.summary['part-AP']  # doctest: +SKIP
    """
    if iou_type not in ('bbox', 'segm'):
        raise ValueError(f"iou_type must be 'bbox' or 'segm', not {iou_type}")
    if not_exhaustive not in NOT_EXHAUSTIVE_RULES:
        raise ValueError(f'not_exhaustive must be one of '
                         f'{NOT_EXHAUSTIVE_RULES}, not {not_exhaustive!r}')
    cat_ids = sorted(lvis_gt.cats)
    img_ids = sorted(set(lvis_gt.imgs if img_ids is None else img_ids))

    coco_eval = COCOeval(iouType=iou_type)
    params = coco_eval.params
    params.catIds, params.imgIds, params.maxDets = cat_ids, img_ids, [
        max_dets
    ]
    coco_eval._gts = _ground_truths(lvis_gt, img_ids, iou_type)
    present = defaultdict(set)
    for img_id, cat_id in coco_eval._gts:
        present[img_id].add(cat_id)
    coco_eval._dts = _detections(lvis_gt, results, img_ids, iou_type,
                                 max_dets, present)

    images_of = defaultdict(set)
    for img_id, cat_id in [*coco_eval._gts, *coco_eval._dts]:
        images_of[cat_id].add(img_id)
    lenient_of = defaultdict(set)
    if not_exhaustive == 'lvis':
        for img_id in img_ids:
            for cat_id in lvis_gt.imgs[img_id]['not_exhaustive_category_ids']:
                lenient_of[cat_id].add(img_id)

    num_thrs, num_areas = len(params.iouThrs), len(params.areaRng)
    precision = -np.ones(
        (num_thrs, len(params.recThrs), len(cat_ids), num_areas))
    recall = -np.ones((num_thrs, len(cat_ids), num_areas))
    for k, cat_id in enumerate(cat_ids):
        if images_of[cat_id]:
            precision[:, :, k], category_recall = evaluate_category(
                coco_eval, cat_id, sorted(images_of[cat_id]), [max_dets],
                lenient_of[cat_id])
            recall[:, k] = category_recall[..., 0]

    category_ap = np.array(
        [mean_valid(precision[:, :, k, 0]) for k in range(len(cat_ids))],
        dtype=float)
    cats = [lvis_gt.cats[cat_id] for cat_id in cat_ids]
    frequency_groups = [[
        k for k, cat in enumerate(cats) if cat.get('frequency') == frequency
    ] for frequency in FREQUENCIES]
    summary = _summarize(precision, recall, params, frequency_groups,
                         max_dets)
    for key, supercategory in (('obj-AP', OBJECT_SUPERCATEGORY),
                               ('part-AP', PART_SUPERCATEGORY)):
        summary[key] = mean_valid(category_ap[[
            k for k, cat in enumerate(cats)
            if cat.get('supercategory') == supercategory
        ]])
    return FederatedAPResult(
        summary=summary,
        cat_ids=cat_ids,
        category_ap=category_ap,
        precision=precision,
        recall=recall)
