# Copyright (c) mmpart contributors. All rights reserved.
"""The picture of a single-image part segmentation
(:class:`~mmpart.apis.PartSegResult`): the image and its part overlay, a
legend of the parts present and a title naming the objects."""
from typing import TYPE_CHECKING, Union

import mmcv
import numpy as np

from mmpart.structures import object_map_id
from .part_overlay import render_part_overlay_panel

if TYPE_CHECKING:  # apis imports visualization: only for the annotations
    from mmpart.apis import PartSegResult


def _objects_line(result: 'PartSegResult', top: int = 3) -> str:
    """The title of a picture: the object of the class-aware map, or the
    ``top`` largest objects of the object map."""
    if result.object_label is not None:
        name = result.object_names[object_map_id(result.object_label)]
        return f'parts of {name}'
    ids, counts = np.unique(result.object_map, return_counts=True)
    shares = sorted(((n / result.object_map.size, i)
                     for i, n in zip(ids, counts) if i > 0),
                    reverse=True)[:top]
    if not shares:
        return 'no object found'
    return 'objects: ' + ', '.join(
        f'{result.object_names[i]} ({share:.0%})' if share >= 0.01 else
        f'{result.object_names[i]} (<1%)' for share, i in shares)


def render_part_seg_result(img: Union[str, np.ndarray],
                           result: 'PartSegResult',
                           opacity: float = 0.5,
                           scale: float = 1.0) -> np.ndarray:
    """Picture a result: the image and its part overlay side by side, a
    legend of the part names present below.

    The overlay shows the class-aware part map when there is one; the
    legend's title names the object it is restricted to, or else the
    largest objects of the object map.

    Args:
        img (str | np.ndarray): The image segmented (a file or a BGR
            array).
        result (PartSegResult): Its result.
        opacity (float): Weight of the part colours, in ``[0, 1]``.
            Defaults to 0.5.
        scale (float): Resize the image (bilinear) and the map (nearest)
            by this factor first, e.g. to see small images. Defaults to 1.

    Returns:
        np.ndarray: The picture, uint8 BGR.
    """
    image = mmcv.imread(img)
    part_map = result.shown_part_map
    if image.shape[:2] != part_map.shape:
        raise ValueError(f'the image is {image.shape[:2]}, the result '
                         f'{part_map.shape}')
    if scale <= 0:
        raise ValueError(f'scale must be positive, got {scale}')
    if scale != 1:
        height, width = part_map.shape
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        image = mmcv.imresize(image, size, interpolation='bilinear')
        # Nearest by index, which keeps any id (cv2 resizes no int64).
        rows = np.minimum((np.arange(size[1]) + 0.5) / scale,
                          height - 1).astype(int)
        cols = np.minimum((np.arange(size[0]) + 0.5) / scale,
                          width - 1).astype(int)
        part_map = part_map[rows[:, None], cols]
    panel, _ = render_part_overlay_panel(
        image,
        part_map,
        result.part_names,
        result.palette,
        alpha=opacity,
        title=_objects_line(result))
    return panel
