# Copyright (c) mmpart contributors. All rights reserved.
"""One image of the PIN++ conversion: the task a worker process gets and what
it did (its maps written atomically, skipped if they exist)."""
import os.path as osp
from collections import Counter
from dataclasses import dataclass
from typing import List, Optional, Tuple

import numpy as np

from mmpart.utils.atomic_io import atomic_write_bytes
from .image_check import check_image
from .pinpp_instances import image_instances
from .rasterize import encode_png, paint_part_map, rasterize_annotations

#: Image outcomes: an image is used (maps and lists) iff CONVERTED or
#: ALREADY_DONE; the others are skip reasons (:mod:`.image_check`).
CONVERTED = 'converted'
ALREADY_DONE = 'already_done'
USED = (CONVERTED, ALREADY_DONE)


@dataclass
class ImageTask:
    """One image to convert, self-contained for a worker process.

    Args:
        key (str): ``<wnid>/<stem>``.
        image_path (str): The ImageNet train image.
        width (int): Width the annotation gives.
        height (int): Height the annotation gives.
        annotations (list[tuple]): ``(global part id, segmentation)`` in
            paint order.
        seg_path (str): Part map to write.
        obj_path (str, optional): Object map to write, if any.
        object_id (int): Id of the class in the object map.
        instances (bool): Also return the image's instances.
    """
    key: str
    image_path: str
    width: int
    height: int
    annotations: List[Tuple[int, object]]
    seg_path: str
    obj_path: Optional[str]
    object_id: int
    instances: bool = False


@dataclass
class ImageResult:
    """What a worker did with one image.

    Args:
        key (str): ``<wnid>/<stem>``.
        outcome (str): ``converted``, ``already_done`` or a skip reason.
        stats (Counter): Annotation-level counts of the rasterised masks
            (empty if the image was not rasterised).
        instances (list[dict], optional): The image's instance bodies
            (:func:`image_instances`), if the task asked for them and the
            image is used.
    """
    key: str
    outcome: str
    stats: Counter
    instances: Optional[List[dict]] = None


def convert_image(task: ImageTask) -> ImageResult:
    """Convert one annotated image (runs in a worker).

    An image whose maps exist is ``already_done``; it is rasterised again
    only if the task asks for its instances (its maps are not rewritten).

    Args:
        task (ImageTask): The image.

    Returns:
        ImageResult: What was done.
    """
    stats = Counter()
    outputs = [p for p in (task.seg_path, task.obj_path) if p]
    done = all(osp.exists(p) for p in outputs)
    if done and not task.instances:
        return ImageResult(task.key, ALREADY_DONE, stats)
    if not done:
        # A done image passed this check when it was converted.
        reason = check_image(task.image_path, task.width, task.height)
        if reason:
            return ImageResult(task.key, reason, stats)
    masks = rasterize_annotations(task.annotations, task.width, task.height,
                                  stats)
    part_map = paint_part_map(masks, task.width, task.height)
    if not part_map.any():
        stats['mask_all_background'] += 1
    if not done:
        atomic_write_bytes(task.seg_path, encode_png(part_map))
        if task.obj_path:
            obj_map = (part_map > 0).astype(np.uint16) * task.object_id
            atomic_write_bytes(task.obj_path, encode_png(obj_map))
    return ImageResult(task.key, ALREADY_DONE if done else CONVERTED, stats,
                       image_instances(masks) if task.instances else None)
