# Copyright (c) mmpart contributors. All rights reserved.
from typing import Optional, Sequence, Tuple, Union

import mmcv
import numpy as np
from mmcv.transforms import BaseTransform

from mmpart.registry import TRANSFORMS
from ..layout import MAP_IGNORE_INDEX
from .processing import resize_part_map


def object_box(part_map: np.ndarray) -> Optional[Tuple[int, int, int, int]]:
    """The box of an object: the bounding box of its part pixels.

    Args:
        part_map (np.ndarray): (H, W) part ids, 0 background and
            :data:`MAP_IGNORE_INDEX` ignored.

    Returns:
        tuple[int, int, int, int] | None: ``(x1, y1, x2, y2)`` with
        exclusive ends, None if the map has no part pixel.
    """
    parts = (part_map > 0) & (part_map != MAP_IGNORE_INDEX)
    rows, cols = np.any(parts, axis=1), np.any(parts, axis=0)
    if not rows.any():
        return None
    y1, y2 = np.flatnonzero(rows)[[0, -1]]
    x1, x2 = np.flatnonzero(cols)[[0, -1]]
    return int(x1), int(y1), int(x2) + 1, int(y2) + 1


@TRANSFORMS.register_module()
class StackObjectCrop(BaseTransform):
    """Resize the image and stack the crop of its object box beside it as
    three more channels, for part-aware few-shot models.

    The part-aware MetaBaseline sees each sample twice, the full image and
    its object's box; one 6-channel image keeps both through the usual
    loaders, flips and collation, and the model splits it (channels 0-2 the
    full image, 3-5 the crop). The box comes from the part map
    (:func:`object_box`); a sample whose map has no part pixel (or no map)
    uses the whole image, and ``object_box_found`` says so.

    Required keys: ``img``, ``gt_seg_map`` (``LoadPartMap``).
    Modified keys: ``img`` (H, W, 6), ``img_shape``, ``gt_seg_map``
    (resized with the full image). Added keys: ``object_box``,
    ``object_box_found``.

    Args:
        scale (int | Sequence[int]): Output size, ``(width, height)`` or one
            side of a square.
        to_rgb (bool): Convert both halves from BGR to RGB. The data
            preprocessor only converts 3-channel inputs, so this is where
            a 6-channel image is converted. Defaults to True.
        interpolation (str): Image interpolation. Defaults to 'bilinear'.
    """

    def __init__(self,
                 scale: Union[int, Sequence[int]],
                 to_rgb: bool = True,
                 interpolation: str = 'bilinear'):
        self.scale = (scale, scale) if isinstance(scale, int) else tuple(
            scale)
        self.to_rgb = to_rgb
        self.interpolation = interpolation

    def transform(self, results: dict) -> dict:
        img = results['img']
        height, width = img.shape[:2]
        box = object_box(results['gt_seg_map'])
        results['object_box_found'] = box is not None
        x1, y1, x2, y2 = box or (0, 0, width, height)
        full = mmcv.imresize(img, self.scale, interpolation=self.interpolation)
        crop = mmcv.imresize(
            img[y1:y2, x1:x2], self.scale, interpolation=self.interpolation)
        if self.to_rgb:
            full, crop = mmcv.bgr2rgb(full), mmcv.bgr2rgb(crop)
        results['img'] = np.concatenate([full, crop], axis=2)
        results['img_shape'] = results['img'].shape[:2]
        results['gt_seg_map'] = resize_part_map(results['gt_seg_map'],
                                                *self.scale)
        results['object_box'] = (x1, y1, x2, y2)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(scale={self.scale}, '
                f'to_rgb={self.to_rgb}, '
                f'interpolation={self.interpolation!r})')
