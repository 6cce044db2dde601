# Copyright (c) mmpart contributors. All rights reserved.
"""mmpart's federated AP against plain ``lvis.LVISEval``, one run.

    python tools/analysis_tools/benchmark_federated_ap.py \\
        [--parts 3308] [--objects 1000] [--images 1000] [--iou-type both]

A synthetic PIN++-shaped case in LVIS format is built in memory (seeded):
part ids 1..parts, then object ids (supercategory 'part' / 'object',
frequencies r/c/f in turn); the parts are split evenly over the objects
(3 or 4 each at PIN++'s counts). Each image shows one object class: one
object ground truth and one ground truth of each of its parts (boxes,
their rectangles as RLE masks), about half of those
categories listed as not exhaustive, ``--negatives`` negative categories
drawn from other classes. Detections: two jittered copies of each ground
truth, then random boxes of any category up to ``--dets-per-image``
(most are ignored by the federated rule, as the low-score tail of a
detector's 300). For each IoU type,
:func:`mmpart.evaluation.functional.evaluate_federated` (with LVIS's
not-exhaustive rule) and plain ``LVISEval`` (``LVISResults``, evaluate,
accumulate, summarize) are timed once each, from the same detection list,
in the same run, so the time ratio (LVISEval / federated) is what counts
on a noisy machine. The largest absolute difference of their precision
arrays and of their summary numbers is printed; the exit code is 1 when
it is above 1e-12. lvis's log is silenced; its ``accumulate`` needs
``np.float`` (removed in numpy 1.24), which is set while it runs.
"""
import argparse
import contextlib
import json
import logging
import os.path as osp
import sys
import tempfile
import time

import numpy as np
from lvis import LVIS, LVISEval, LVISResults

from mmpart.evaluation.functional import evaluate_federated
from mmpart.toy.boxes import box_rle, random_box

IMAGE_SIZE = 64
TOLERANCE = 1e-12


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Federated AP vs lvis LVISEval')
    parser.add_argument('--parts', type=int, default=3308,
                        help='part categories')
    parser.add_argument('--objects', type=int, default=1000,
                        help='object categories (object classes)')
    parser.add_argument('--images', type=int, default=1000)
    parser.add_argument('--negatives', type=int, default=10,
                        help='neg_category_ids per image')
    parser.add_argument('--dets-per-image', type=int, default=100)
    parser.add_argument('--iou-type', choices=['bbox', 'segm', 'both'],
                        default='both')
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)
    if not 2 <= args.objects <= args.parts or args.images < 1:
        parser.error('--objects must be in [2, --parts], --images positive')
    return args


def synthetic_case(args):
    """Build the ground truth (LVIS format) and the detections.

    Args:
        args (argparse.Namespace): The parsed arguments.

    Returns:
        tuple[dict, list[dict]]: The LVIS dataset dict, and the detections
        (with ``bbox``, ``segmentation`` and ``score``).
    """
    rng = np.random.default_rng(args.seed)
    num_cats = args.parts + args.objects
    categories = [
        dict(id=k, name=f'c{k}', frequency='rcf'[k % 3],
             supercategory='part' if k <= args.parts else 'object')
        for k in range(1, num_cats + 1)
    ]
    imgs, anns, dets = [], [], []
    for img_id in range(1, args.images + 1):
        cls = int(rng.integers(0, args.objects))
        cat_ids = [args.parts + cls + 1] + list(
            range(cls * args.parts // args.objects + 1,
                  (cls + 1) * args.parts // args.objects + 1))
        other = rng.choice(num_cats, args.negatives + len(cat_ids),
                           replace=False) + 1
        imgs.append(
            dict(id=img_id, width=IMAGE_SIZE, height=IMAGE_SIZE,
                 file_name=f'{img_id}.JPEG',
                 neg_category_ids=[
                     int(k) for k in other if k not in cat_ids
                 ][:args.negatives],
                 not_exhaustive_category_ids=[
                     k for k in cat_ids if rng.random() < .5
                 ]))
        for cat_id in cat_ids:
            box = random_box(rng, IMAGE_SIZE)
            anns.append(
                dict(id=len(anns) + 1, image_id=img_id, category_id=cat_id,
                     area=box[2] * box[3], bbox=box,
                     segmentation=box_rle(box, IMAGE_SIZE)))
            for _ in range(2):
                x = max(0, box[0] + int(rng.integers(-3, 4)))
                y = max(0, box[1] + int(rng.integers(-3, 4)))
                det = [x, y, min(box[2], IMAGE_SIZE - x),
                       min(box[3], IMAGE_SIZE - y)]
                dets.append(
                    dict(image_id=img_id, category_id=cat_id, bbox=det,
                         segmentation=box_rle(det, IMAGE_SIZE),
                         score=float(rng.random())))
        for _ in range(max(0, args.dets_per_image - 2 * len(cat_ids))):
            box = random_box(rng, IMAGE_SIZE)
            dets.append(
                dict(image_id=img_id,
                     category_id=int(rng.integers(1, num_cats + 1)),
                     bbox=box, segmentation=box_rle(box, IMAGE_SIZE),
                     score=float(rng.random())))
    return dict(images=imgs, annotations=anns, categories=categories), dets


def results_for(dets: list, iou_type: str) -> list:
    """Fresh copies of the detections for one IoU type.

    Args:
        dets (list[dict]): The detections (left unchanged).
        iou_type (str): 'bbox' (the masks are dropped) or 'segm' (the
            boxes are dropped, as the official evaluation does, so that
            the mask area is used).

    Returns:
        list[dict]: The copies.
    """
    drop = 'segmentation' if iou_type == 'bbox' else 'bbox'
    return [{k: v for k, v in det.items() if k != drop} for det in dets]


@contextlib.contextmanager
def lvis_numpy():
    """``np.float`` (lvis 0.5.3's ``accumulate`` uses it) while LVISEval
    runs; removed again after."""
    had, old = hasattr(np, 'float'), getattr(np, 'float', None)
    np.float = float
    try:
        yield
    finally:
        if had:
            np.float = old
        else:
            del np.float


def time_federated(gt_file: str, dets: list, iou_type: str):
    """Evaluate with :func:`evaluate_federated` (LVIS's rule).

    Args:
        gt_file (str): The LVIS json.
        dets (list[dict]): The detections of this IoU type.
        iou_type (str): 'bbox' or 'segm'.

    Returns:
        tuple[FederatedAPResult, float]: The result and the seconds (the
        ground truth read excluded).
    """
    lvis_gt = LVIS(gt_file)
    start = time.perf_counter()
    result = evaluate_federated(lvis_gt, dets, iou_type,
                                not_exhaustive='lvis')
    return result, time.perf_counter() - start


def time_lvis_eval(gt_file: str, dets: list, iou_type: str):
    """Evaluate with plain ``LVISEval``.

    Args:
        gt_file (str): The LVIS json.
        dets (list[dict]): The detections of this IoU type (``LVISResults``
            changes them).
        iou_type (str): 'bbox' or 'segm'.

    Returns:
        tuple[LVISEval, float]: The evaluator and the seconds (the ground
        truth read excluded).
    """
    lvis_gt = LVIS(gt_file)
    start = time.perf_counter()
    with lvis_numpy():
        lvis_eval = LVISEval(lvis_gt, LVISResults(lvis_gt, dets), iou_type)
        lvis_eval.evaluate()
        lvis_eval.accumulate()
        lvis_eval.summarize()
    return lvis_eval, time.perf_counter() - start


def main(argv=None) -> int:
    args = parse_args(argv)
    logging.getLogger('lvis').setLevel(logging.ERROR)
    dataset, dets = synthetic_case(args)
    print(f'{len(dataset["categories"])} categories ({args.parts} parts, '
          f'{args.objects} objects), {args.images} images, '
          f'{len(dataset["annotations"])} ground truths, {len(dets)} '
          f'detections, seed {args.seed}')
    iou_types = ['bbox', 'segm'] if args.iou_type == 'both' else [
        args.iou_type
    ]
    worst = 0.
    with tempfile.TemporaryDirectory() as tmp_dir:
        gt_file = osp.join(tmp_dir, 'gt.json')
        with open(gt_file, 'w') as f:
            json.dump(dataset, f)
        for iou_type in iou_types:
            result, federated_s = time_federated(
                gt_file, results_for(dets, iou_type), iou_type)
            lvis_eval, lvis_s = time_lvis_eval(
                gt_file, results_for(dets, iou_type), iou_type)
            precision_diff = float(
                np.abs(result.precision - lvis_eval.eval['precision']).max())
            summary_diff = max(
                abs(result.summary[key] - value)
                for key, value in lvis_eval.results.items())
            worst = max(worst, precision_diff, summary_diff)
            print(f'federated_ap_vs_lvis_eval iou_type={iou_type} '
                  f'categories={len(dataset["categories"])} '
                  f'images={args.images} '
                  f'time_ratio={lvis_s / federated_s:.2f} (federated '
                  f'{federated_s:.2f} s, lvis_eval {lvis_s:.2f} s) '
                  f'max_abs_diff={max(precision_diff, summary_diff):.1e} '
                  f'AP={result.summary["AP"]:.4f} '
                  f'obj-AP={result.summary["obj-AP"]:.4f} '
                  f'part-AP={result.summary["part-AP"]:.4f}')
    return 0 if worst <= TOLERANCE else 1


if __name__ == '__main__':
    sys.exit(main())
