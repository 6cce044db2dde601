# Copyright (c) mmpart contributors. All rights reserved.
"""mmpart's sparse COCO evaluation against pycocotools' COCOeval, one run.

    python tools/analysis_tools/benchmark_instance_eval.py \\
        [--categories 1000] [--images 2000] [--iou-type both]

A synthetic PIN++-shaped case is built in memory (seeded): each image
shows one object class, whose ``--parts-per-image`` consecutive part
categories each have one ground truth (an axis-aligned box, and the same
rectangle as an RLE mask) and two detections shifted by a few pixels,
plus random detections of any category up to 20 per image. For each IoU
type, :func:`mmpart.evaluation.functional.evaluate_sparse` and plain
``COCOeval`` (evaluate, accumulate, summarize) are timed once each in the
same run, so the time ratio (COCOeval / sparse) is what counts on a noisy
machine, and their 12 summary numbers must be identical: the exit code is
1 when they are not. pycocotools' prints are silenced.
"""
import argparse
import contextlib
import io
import sys
import time

import numpy as np
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

from mmpart.evaluation.functional import evaluate_sparse
from mmpart.toy.boxes import box_rle, random_box

IMAGE_SIZE = 64
DETS_PER_IMAGE = 20


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Sparse COCO evaluation vs pycocotools COCOeval')
    parser.add_argument('--categories', type=int, default=1000,
                        help='part categories')
    parser.add_argument('--images', type=int, default=2000)
    parser.add_argument('--parts-per-image', type=int, default=5,
                        help='part categories of the object class an image '
                        'shows, one ground truth each')
    parser.add_argument('--iou-type', choices=['bbox', 'segm', 'both'],
                        default='both')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--max-dets', type=int, default=100,
                        help='the largest max detections (the two others '
                        'are 1 and 10). Plain COCOeval.summarize reports '
                        'the first number (AP@[.50:.95]) at maxDets=100 '
                        'whatever the setting (-1 when 100 is not among '
                        'them), so with another value that number is not '
                        'compared')
    args = parser.parse_args(argv)
    if not 1 <= args.parts_per_image <= args.categories:
        parser.error('--parts-per-image must be in [1, --categories]')
    if args.images < 1:
        parser.error('--images must be positive')
    if args.max_dets <= 10:
        parser.error('--max-dets must be more than 10')
    return args


def synthetic_case(categories: int, images: int, parts_per_image: int,
                   seed: int):
    """Build the ground truth and the detections.

    Args:
        categories (int): Part categories (ids 1 to ``categories``).
        images (int): Images (ids 1 to ``images``).
        parts_per_image (int): Consecutive part categories of the object
            class each image shows, one ground truth each.
        seed (int): Seed of the random generator.

    Returns:
        tuple[COCO, list[dict]]: The indexed ground truth, and the
        detections (with ``bbox``, ``segmentation`` and ``score``).
    """
    rng = np.random.default_rng(seed)
    classes = categories // parts_per_image
    imgs, anns, dets = [], [], []
    for img_id in range(1, images + 1):
        imgs.append(
            dict(id=img_id, width=IMAGE_SIZE, height=IMAGE_SIZE,
                 file_name=''))
        cls = int(rng.integers(0, classes))
        for part in range(parts_per_image):
            cat_id = cls * parts_per_image + part + 1
            box = random_box(rng, IMAGE_SIZE)
            anns.append(
                dict(id=len(anns) + 1, image_id=img_id, category_id=cat_id,
                     iscrowd=0, area=box[2] * box[3], bbox=box,
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
        for _ in range(max(0, DETS_PER_IMAGE - 2 * parts_per_image)):
            box = random_box(rng, IMAGE_SIZE)
            dets.append(
                dict(image_id=img_id,
                     category_id=int(rng.integers(1, categories + 1)),
                     bbox=box, segmentation=box_rle(box, IMAGE_SIZE),
                     score=float(rng.random())))
    coco_gt = COCO()
    coco_gt.dataset = dict(
        images=imgs, annotations=anns,
        categories=[dict(id=k, name=str(k)) for k in range(1, categories + 1)])
    with contextlib.redirect_stdout(io.StringIO()):
        coco_gt.createIndex()
    return coco_gt, dets


def load_detections(coco_gt: COCO, dets: list, iou_type: str) -> COCO:
    """The detections as results of ``coco_gt``, for one IoU type.

    Args:
        coco_gt (COCO): The ground truth.
        dets (list[dict]): The detections (left unchanged).
        iou_type (str): 'bbox' (the masks are dropped) or 'segm' (the
            boxes are dropped: ``loadRes`` derives them from the masks).

    Returns:
        COCO: What ``coco_gt.loadRes`` gives.
    """
    drop = 'segmentation' if iou_type == 'bbox' else 'bbox'
    results = [{k: v for k, v in det.items() if k != drop} for det in dets]
    with contextlib.redirect_stdout(io.StringIO()):
        return coco_gt.loadRes(results)


def time_sparse(coco_gt: COCO, coco_dt: COCO, iou_type: str,
                max_dets: tuple):
    """Evaluate with :func:`evaluate_sparse`.

    Args:
        coco_gt (COCO): The ground truth.
        coco_dt (COCO): The detections.
        iou_type (str): 'bbox' or 'segm'.
        max_dets (tuple[int]): The three max detections.

    Returns:
        tuple[np.ndarray, float]: The 12 summary numbers and the seconds.
    """
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        result = evaluate_sparse(
            coco_gt, coco_dt, iou_type, coco_gt.getCatIds(),
            max_dets=max_dets)
    return result.stats, time.perf_counter() - start


def time_cocoeval(coco_gt: COCO, coco_dt: COCO, iou_type: str,
                  max_dets: tuple):
    """Evaluate with plain ``COCOeval`` (evaluate, accumulate, summarize).

    Args:
        coco_gt (COCO): The ground truth.
        coco_dt (COCO): The detections.
        iou_type (str): 'bbox' or 'segm'.
        max_dets (tuple[int]): The three max detections.

    Returns:
        tuple[np.ndarray, float]: The 12 summary numbers and the seconds.
    """
    start = time.perf_counter()
    coco_eval = COCOeval(coco_gt, coco_dt, iou_type)
    coco_eval.params.maxDets = list(max_dets)
    with contextlib.redirect_stdout(io.StringIO()):
        coco_eval.evaluate()
        coco_eval.accumulate()
        coco_eval.summarize()
    return coco_eval.stats, time.perf_counter() - start


def main(argv=None) -> int:
    args = parse_args(argv)
    max_dets = (1, 10, args.max_dets)
    # summarize() takes AP@[.50:.95] at maxDets=100 whatever maxDets is.
    first = 0 if args.max_dets == 100 else 1
    coco_gt, dets = synthetic_case(args.categories, args.images,
                                   args.parts_per_image, args.seed)
    print(f'{args.categories} categories, {args.images} images, '
          f'{len(coco_gt.anns)} ground truths, {len(dets)} detections, '
          f'max_dets={max_dets}, seed {args.seed}')
    iou_types = ['bbox', 'segm'] if args.iou_type == 'both' else [
        args.iou_type
    ]
    all_identical = True
    for iou_type in iou_types:
        coco_dt = load_detections(coco_gt, dets, iou_type)
        sparse_stats, sparse_s = time_sparse(coco_gt, coco_dt, iou_type,
                                             max_dets)
        plain_stats, plain_s = time_cocoeval(coco_gt, coco_dt, iou_type,
                                             max_dets)
        identical = bool(
            np.array_equal(sparse_stats[first:], plain_stats[first:]))
        all_identical = all_identical and identical
        note = '' if first == 0 else ' (stats[0] not compared: ' \
            'COCOeval.summarize takes it at maxDets=100)'
        print(f'instance_eval_sparse_vs_cocoeval iou_type={iou_type} '
              f'categories={args.categories} images={args.images} '
              f'time_ratio={plain_s / sparse_s:.2f} (sparse {sparse_s:.2f} '
              f's, cocoeval {plain_s:.2f} s) identical={identical}{note}')
        if not identical:
            print(f'  sparse:   {sparse_stats.tolist()}\n'
                  f'  cocoeval: {plain_stats.tolist()}')
    return 0 if all_identical else 1


if __name__ == '__main__':
    sys.exit(main())
