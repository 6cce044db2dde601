# Copyright (c) mmpart contributors. All rights reserved.
"""COCO instance files of a converted PIN++ set, for mmdet.

``annotations/instances_<split>.json`` holds, for each image of the split,
one instance per part annotation and one object instance (the union of its
parts), as compressed RLE made from the same masks as the part maps
(:func:`~mmpart.converters.rasterize.rasterize_annotations`). Categories are
the objects, then every part of the label space in global-id order::

    images       {id, file_name: '<wnid>/<stem>.JPEG', width, height, wnid}
    annotations  {id, image_id, category_id, segmentation: RLE, area, bbox,
                  iscrowd: 0}
    categories   {id, name, supercategory, wnid, kind: 'object' | 'part',
                  part_id}

Object ``k`` (label-space object order) has category id ``k + 1``; global
part id ``g`` has category id ``num_objects + g``. Names are the label
space's: the object name, and ``'<object>/<part>'`` for parts; a part's
``supercategory`` is its object's name (an object's is ``'object'``).
"""
from typing import Dict, List, Mapping, Sequence, Tuple

import numpy as np
from pycocotools import mask as mask_utils

from mmpart.datasets.instance_categories import (instance_categories,
                                                 object_category_id)
from mmpart.datasets.label_space import LabelSpace
from mmpart.datasets.layout import IMG_SUFFIX, split_sample_key


def mask_instance(mask: np.ndarray, part_id: int) -> dict:
    """Encode one instance mask as a COCO annotation body.

    Args:
        mask (np.ndarray): bool (H, W) mask with at least one pixel.
        part_id (int): Global part id, 0 for the object instance.

    Returns:
        dict: ``part_id``, ``segmentation`` (compressed RLE with a ``str``
        ``counts``, so it is JSON), ``area`` (pixels) and ``bbox``
        (``[x, y, w, h]`` of the pixels).
    """
    rle = mask_utils.encode(np.asfortranarray(mask, dtype=np.uint8))
    rle['counts'] = rle['counts'].decode('ascii')
    return dict(
        part_id=int(part_id),
        segmentation=rle,
        area=int(mask_utils.area(rle)),
        bbox=[float(v) for v in mask_utils.toBbox(rle)])


def image_instances(masks: Sequence[Tuple[int, np.ndarray]]) -> List[dict]:
    """The instances of one image: its object, then each part annotation.

    Args:
        masks (Sequence[tuple]): ``(global part id, bool mask)`` pairs of
            the image's annotations (from ``rasterize_annotations``).

    Returns:
        list[dict]: :func:`mask_instance` bodies; empty if the image has no
        part pixels.
    """
    if not masks:
        return []
    union = np.logical_or.reduce([mask for _, mask in masks])
    return [mask_instance(union, 0)] + [
        mask_instance(mask, part_id) for part_id, mask in masks
    ]


def instance_file(keys: Sequence[str], image_ids: Mapping[str, int],
                  sizes: Mapping[str, Tuple[int, int]],
                  instances: Mapping[str, List[dict]],
                  label_space: LabelSpace) -> Tuple[dict, Dict[str, int]]:
    """Make the COCO instance file of one split.

    Args:
        keys (Sequence[str]): ``<wnid>/<stem>`` of the split's images.
        image_ids (Mapping[str, int]): Image id by key, unique over all
            splits.
        sizes (Mapping[str, tuple]): ``(width, height)`` by key.
        instances (Mapping[str, list]): :func:`image_instances` by key.
        label_space (LabelSpace): The label space.

    Returns:
        tuple[dict, dict]: The COCO dict and its counts (``images``,
        ``images_without_instances``, ``objects``, ``parts``).
    """
    num_objects = len(label_space.wnids)
    images, annotations = [], []
    counts = dict(images=0, images_without_instances=0, objects=0, parts=0)
    for key in keys:
        wnid, stem = split_sample_key(key)
        width, height = sizes[key]
        image_id = image_ids[key]
        images.append(
            dict(id=image_id, file_name=f'{wnid}/{stem}{IMG_SUFFIX}',
                 width=width, height=height, wnid=wnid))
        counts['images'] += 1
        bodies = instances[key]
        if not bodies:
            counts['images_without_instances'] += 1
        for body in bodies:
            part_id = body['part_id']
            category_id = num_objects + part_id if part_id else \
                object_category_id(label_space, wnid)
            counts['parts' if part_id else 'objects'] += 1
            annotations.append(
                dict(id=len(annotations) + 1, image_id=image_id,
                     category_id=category_id,
                     segmentation=body['segmentation'], area=body['area'],
                     bbox=body['bbox'], iscrowd=0))
    coco = dict(
        info=dict(description='PIN++ instances, written by mmpart'),
        images=images,
        annotations=annotations,
        categories=instance_categories(label_space))
    return coco, counts
