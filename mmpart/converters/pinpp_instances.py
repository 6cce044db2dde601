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

``annotations/Pin++_<split>.json`` (:func:`lvis_instance_file`) holds the
same instances in the LVIS format of the official benchmark files
(``Benchmark/segmentation/paco`` of the paper's code reads them with the
LVIS API and scores them with LVIS's federated AP)::

    images       {id, file_name, width, height, wnid, neg_category_ids,
                  not_exhaustive_category_ids}
    annotations  {id, image_id, category_id, segmentation: RLE, area, bbox}
    categories   {id, name, supercategory: 'part' | 'object', frequency,
                  image_count, instance_count, wnid, part_id}

Numbering (:class:`LVISNumbering`): the parts first, ids ``1..P`` in
global-id order, then the objects, ``P + 1..P + O`` in label order. The
official evaluator once took "the last 1000 ids" as the objects (a variant
left commented out in ``paco_evaluation.py``), so its files number the
objects last; within each kind the label-space order is the only one the
release defines. ``P`` counts the parts the release defines (a category in
its class file): ids that the part-count table reserves without a category
in the release are left out. The table sums to 3310 and the release is
counted at 3308 part categories (4308 with the objects, the official
configs' ``num_classes``): two table ids without a category of the release
give exactly that; which two, the official code does not say (the
conversion report lists the ids left out).

What the official code does not say, chosen here:

- ``neg_category_ids`` of an image: the parts of its own class without an
  instance in it. PIN++ annotates every visible part of the image's class,
  so these are verified absent; the other classes were never looked for,
  so, as LVIS does with categories it did not verify, they are left out
  and federated AP does not score their detections in the image. (Listing
  all 4307 other categories per image would also make the train file
  gigabytes.) Part AP is then close to mmpart's ``part_given_object``
  group.
- ``not_exhaustive_category_ids``: empty; each instance of the image's
  class is annotated.
- ``frequency``: LVIS's rule on the train split's image count of the
  category: rare 1-10 (or none), common 11-100, frequent above. The
  categories, with these train counts, are the same in every split's file.
"""
from collections import Counter
from dataclasses import dataclass
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import numpy as np
from pycocotools import mask as mask_utils

from mmpart.datasets.instance_categories import (OBJECT_KIND, PART_KIND,
                                                 instance_categories,
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


#: LVIS's frequency groups: a category in at most 10 training images is
#: rare, in at most 100 common, in more frequent.
LVIS_FREQUENCY_BINS = ((10, 'r'), (100, 'c'))
#: The frequency of a category in more training images than every bin.
LVIS_FREQUENT = 'f'


def lvis_frequency(image_count: int) -> str:
    """LVIS's frequency group of a category.

    Args:
        image_count (int): Training images with an instance of it.

    Returns:
        str: ``'r'``, ``'c'`` or ``'f'`` (:data:`LVIS_FREQUENCY_BINS`).
    """
    for upper, group in LVIS_FREQUENCY_BINS:
        if image_count <= upper:
            return group
    return LVIS_FREQUENT


@dataclass
class LVISNumbering:
    """The category ids of the LVIS-format files: parts, then objects.

    Args:
        label_space (LabelSpace): The label space.
        part_category (dict[int, int]): Category id by global part id, for
            the parts in the files.
        object_category (dict[str, int]): Category id by wnid.
    """
    label_space: LabelSpace
    part_category: Dict[int, int]
    object_category: Dict[str, int]

    @classmethod
    def from_label_space(
            cls,
            label_space: LabelSpace,
            part_ids: Optional[Iterable[int]] = None) -> 'LVISNumbering':
        """Number the given parts from 1 in global-id order, then every
        object in label order.

        Args:
            label_space (LabelSpace): The label space.
            part_ids (Iterable[int], optional): The global part ids to keep
                (those the release defines); all of the label space's by
                default.

        Returns:
            LVISNumbering: The numbering.
        """
        all_ids = range(1, label_space.num_part_classes)
        kept = sorted(set(all_ids if part_ids is None else part_ids))
        unknown = set(kept) - set(all_ids)
        if unknown:
            raise ValueError(f'part ids {sorted(unknown)[:5]} are not in '
                             f'the label space {label_space}')
        part_category = {part_id: i + 1 for i, part_id in enumerate(kept)}
        object_category = {
            wnid: len(kept) + 1 + label
            for label, wnid in enumerate(label_space.wnids)
        }
        return cls(label_space, part_category, object_category)

    def category_id(self, wnid: str, part_id: int) -> int:
        """The category of an instance body of an image of class ``wnid``
        (``part_id`` 0 for the object)."""
        if part_id:
            return self.part_category[part_id]
        return self.object_category[wnid]

    def class_part_categories(self, wnid: str) -> List[int]:
        """The part categories of class ``wnid``, in id order."""
        start, stop = self.label_space.part_id_range(wnid)
        return [
            self.part_category[p] for p in range(start, stop)
            if p in self.part_category
        ]

    @property
    def left_out(self) -> List[int]:
        """The label space's part ids that have no category."""
        return [
            p for p in range(1, self.label_space.num_part_classes)
            if p not in self.part_category
        ]


def lvis_categories(numbering: LVISNumbering, train_keys: Sequence[str],
                    instances: Mapping[str, List[dict]]) -> List[dict]:
    """The categories of the LVIS-format files, counted on the train split.

    Args:
        numbering (LVISNumbering): The category ids.
        train_keys (Sequence[str]): ``<wnid>/<stem>`` of the train split.
        instances (Mapping[str, list]): :func:`image_instances` by key.

    Returns:
        list[dict]: The categories in id order, with the train split's
        ``image_count``, ``instance_count`` and LVIS ``frequency``.
    """
    image_counts, instance_counts = Counter(), Counter()
    for key in train_keys:
        wnid = split_sample_key(key)[0]
        ids = [numbering.category_id(wnid, b['part_id'])
               for b in instances[key]]
        instance_counts.update(ids)
        image_counts.update(set(ids))
    space = numbering.label_space
    names = space.part_names
    entries = [(cat_id, names[part_id], PART_KIND,
                space.rows[part_id]['wnid'], part_id)
               for part_id, cat_id in numbering.part_category.items()]
    entries += [(cat_id, space.object_names[space.object_label[wnid]],
                 OBJECT_KIND, wnid, 0)
                for wnid, cat_id in numbering.object_category.items()]
    return [
        dict(id=cat_id, name=name, supercategory=kind,
             frequency=lvis_frequency(image_counts[cat_id]),
             image_count=image_counts[cat_id],
             instance_count=instance_counts[cat_id], wnid=wnid,
             part_id=part_id)
        for cat_id, name, kind, wnid, part_id in sorted(entries)
    ]


def lvis_instance_file(keys: Sequence[str], image_ids: Mapping[str, int],
                       sizes: Mapping[str, Tuple[int, int]],
                       instances: Mapping[str, List[dict]],
                       numbering: LVISNumbering,
                       categories: List[dict]) -> Tuple[dict, Dict[str, int]]:
    """Make the LVIS-format instance file of one split (see the module
    docstring for the format and the choices).

    Args:
        keys (Sequence[str]): ``<wnid>/<stem>`` of the split's images.
        image_ids (Mapping[str, int]): Image id by key, unique over all
            splits (the COCO files' ids).
        sizes (Mapping[str, tuple]): ``(width, height)`` by key.
        instances (Mapping[str, list]): :func:`image_instances` by key.
        numbering (LVISNumbering): The category ids.
        categories (list[dict]): :func:`lvis_categories`.

    Returns:
        tuple[dict, dict]: The LVIS dict and its counts (``images``,
        ``images_without_instances``, ``objects``, ``parts``).
    """
    images, annotations = [], []
    counts = dict(images=0, images_without_instances=0, objects=0, parts=0)
    for key in keys:
        wnid, stem = split_sample_key(key)
        width, height = sizes[key]
        image_id = image_ids[key]
        bodies = instances[key]
        counts['images'] += 1
        if not bodies:
            counts['images_without_instances'] += 1
        present = set()
        for body in bodies:
            category_id = numbering.category_id(wnid, body['part_id'])
            present.add(category_id)
            counts['parts' if body['part_id'] else 'objects'] += 1
            annotations.append(
                dict(id=len(annotations) + 1, image_id=image_id,
                     category_id=category_id,
                     segmentation=body['segmentation'], area=body['area'],
                     bbox=body['bbox']))
        images.append(
            dict(id=image_id, file_name=f'{wnid}/{stem}{IMG_SUFFIX}',
                 width=width, height=height, wnid=wnid,
                 neg_category_ids=[
                     c for c in numbering.class_part_categories(wnid)
                     if c not in present
                 ],
                 not_exhaustive_category_ids=[]))
    lvis = dict(
        info=dict(description='PIN++ instances (LVIS format), written by '
                  'mmpart'),
        images=images,
        annotations=annotations,
        categories=categories)
    return lvis, counts


def renumber_lvis_categories(lvis: dict, classes: Sequence[str]) -> dict:
    """An LVIS-format dict whose category ids follow another class order.

    The category named ``classes[i]`` becomes id ``i + 1``, everywhere the
    file names a category (annotations, ``neg_category_ids``,
    ``not_exhaustive_category_ids``). LVIS's federated AP, obj-AP and
    part-AP do not depend on the ids, so a model whose labels follow
    ``classes`` (one trained on mmpart's COCO files, objects first) is
    scored by the paper's protocol on the renumbered file, its label ``i``
    being category ``i + 1`` there as ``PINPPLVISMetric`` reads it.

    Args:
        lvis (dict): An LVIS-format file's content.
        classes (Sequence[str]): Every category name of the file, once, in
            the new order.

    Returns:
        dict: The renumbered copy; categories in their new id order.

    Raises:
        ValueError: ``classes`` are not the file's category names.
    """
    names = [c['name'] for c in lvis['categories']]
    if sorted(names) != sorted(classes) or len(set(names)) != len(names):
        raise ValueError(
            f'the {len(classes)} classes are not the {len(names)} distinct '
            'category names of the file (a model of another label space?)')
    position = {name: i + 1 for i, name in enumerate(classes)}
    new_id = {c['id']: position[c['name']] for c in lvis['categories']}

    def renumber(ids):
        return sorted(new_id[i] for i in ids)

    return dict(
        lvis,
        images=[
            dict(image,
                 neg_category_ids=renumber(image['neg_category_ids']),
                 not_exhaustive_category_ids=renumber(
                     image['not_exhaustive_category_ids']))
            for image in lvis['images']
        ],
        annotations=[
            dict(ann, category_id=new_id[ann['category_id']])
            for ann in lvis['annotations']
        ],
        categories=sorted((dict(c, id=new_id[c['id']])
                           for c in lvis['categories']),
                          key=lambda c: c['id']))
