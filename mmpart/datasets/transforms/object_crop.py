# Copyright (c) mmpart contributors. All rights reserved.
from typing import List, Optional, Sequence, Tuple, Union

import mmcv
import numpy as np
from mmcv.transforms import BaseTransform, Compose

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


def _crop_zero_filled(img: np.ndarray, x1: int, y1: int, x2: int,
                      y2: int) -> np.ndarray:
    """``img[y1:y2, x1:x2]`` with the part outside the image zero, as PIL's
    ``Image.crop`` gives it.

    Raises:
        ValueError: An empty box.
    """
    if x2 <= x1 or y2 <= y1:
        raise ValueError(f'StackObjectCrop: empty box {(x1, y1, x2, y2)}')
    height, width = img.shape[:2]
    if x1 >= 0 and y1 >= 0 and x2 <= width and y2 <= height:
        return img[y1:y2, x1:x2]
    crop = np.zeros((y2 - y1, x2 - x1) + img.shape[2:], img.dtype)
    top, left = max(y1, 0), max(x1, 0)
    bottom, right = min(y2, height), min(x2, width)
    if bottom > top and right > left:
        crop[top - y1:bottom - y1, left - x1:right - x1] = \
            img[top:bottom, left:right]
    return crop


@TRANSFORMS.register_module()
class StackObjectCrop(BaseTransform):
    """Resize the image and stack the crop of its object box beside it as
    three more channels, for part-aware few-shot models.

    The part-aware MetaBaseline sees each sample twice, the full image and
    its object's box; one 6-channel image keeps both through the usual
    loaders, flips and collation, and the model splits it (channels 0-2 the
    full image, 3-5 the crop). The box comes from the part map
    (:func:`object_box`); a sample whose map has no part pixel uses the
    whole image, and ``object_box_found`` says so. A sample that comes with
    its box (``object_box``, as the official MetaBaseline pickles give it,
    :class:`~mmpart.datasets.PINPPMetaBaselineDataset`) keeps it; as PIL's
    ``crop`` in the official loader, the part of it outside the image is
    black.

    Training augmentation of the part-aware pair, as the official
    pre-training draws it, is ``half_pipeline``: transforms run on the full
    image and on the crop each on its own (each its own random crop and
    flip), in place of the resize.

    **Required Keys:**

    - img
    - gt_seg_map (``LoadPartMap``) or object_box

    **Modified Keys:**

    - img (H, W, 6)
    - img_shape
    - gt_seg_map (if any; resized with the full image)

    **Added Keys:**

    - object_box (unless given)
    - object_box_found

    Args:
        scale (int | Sequence[int]): Output size, ``(width, height)`` or one
            side of a square.
        to_rgb (bool): Convert both halves from BGR to RGB. The data
            preprocessor only converts 3-channel inputs, so this is where
            a 6-channel image is converted. Defaults to True.
        interpolation (str): Image interpolation. Defaults to 'bilinear'.
        backend (str): ``mmcv.imresize``'s backend, ``'cv2'`` or
            ``'pillow'``; the official loaders resize with PIL, whose
            bilinear downscaling, unlike cv2's, averages over the pixels it
            shrinks. Defaults to 'cv2'.
        half_pipeline (list[dict], optional): Transforms for each half on
            its own, which must bring it to ``scale`` (e.g. mmpretrain's
            ``RandomResizedCrop`` and ``RandomFlip``); without a part map
            only, since the map would not follow the full image's draw.
            Defaults to None: both halves resized to ``scale``.
    """

    def __init__(self,
                 scale: Union[int, Sequence[int]],
                 to_rgb: bool = True,
                 interpolation: str = 'bilinear',
                 backend: str = 'cv2',
                 half_pipeline: Optional[List[dict]] = None):
        self.scale = (scale, scale) if isinstance(scale, int) else tuple(
            scale)
        self.to_rgb = to_rgb
        self.interpolation = interpolation
        self.backend = backend
        self.half_pipeline = None if half_pipeline is None else Compose(
            half_pipeline)

    def _fit(self, image: np.ndarray) -> np.ndarray:
        """One half at ``scale``: resized, or through ``half_pipeline``."""
        if self.half_pipeline is None:
            return mmcv.imresize(
                image,
                self.scale,
                interpolation=self.interpolation,
                backend=self.backend)
        image = self.half_pipeline(
            dict(img=image, img_shape=image.shape[:2]))['img']
        if image.shape[1::-1] != self.scale:
            raise ValueError(
                f'StackObjectCrop: half_pipeline gave {image.shape[1::-1]} '
                f'(width, height), not scale {self.scale}')
        return image

    def transform(self, results: dict) -> dict:
        if self.half_pipeline is not None and 'gt_seg_map' in results:
            raise ValueError(
                'StackObjectCrop: half_pipeline draws each half on its own, '
                'so a part map (gt_seg_map) could not follow the image; '
                'drop LoadPartMap or the half_pipeline')
        img = results['img']
        height, width = img.shape[:2]
        if 'object_box' in results:
            box = tuple(int(v) for v in results['object_box'])
        else:
            box = object_box(results['gt_seg_map'])
        results['object_box_found'] = box is not None
        box_xyxy = box or (0, 0, width, height)
        crop = _crop_zero_filled(img, *box_xyxy)
        full, crop = self._fit(img), self._fit(crop)
        if self.to_rgb:
            full, crop = mmcv.bgr2rgb(full), mmcv.bgr2rgb(crop)
        results['img'] = np.concatenate([full, crop], axis=2)
        results['img_shape'] = results['img'].shape[:2]
        if 'gt_seg_map' in results:
            results['gt_seg_map'] = resize_part_map(results['gt_seg_map'],
                                                    *self.scale)
        results['object_box'] = box_xyxy
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(scale={self.scale}, '
                f'to_rgb={self.to_rgb}, '
                f'interpolation={self.interpolation!r}, '
                f'backend={self.backend!r}, '
                f'half_pipeline={self.half_pipeline})')
