# Copyright (c) mmpart contributors. All rights reserved.
"""Geometric transforms that move the part map with the image.

mmcv's ``Resize``, ``RandomFlip`` and ``CenterCrop`` (registered in
mmpretrain too) already handle ``gt_seg_map``; mmpretrain's
``RandomResizedCrop`` and ``ResizeEdge`` touch only the image, so these
subclasses apply the same geometry to the map with nearest interpolation.
"""
import mmcv
import numpy as np
from mmpretrain.datasets.transforms import RandomResizedCrop, ResizeEdge

from mmpart.registry import TRANSFORMS


def resize_part_map(part_map: np.ndarray, width: int,
                    height: int) -> np.ndarray:
    """Nearest-neighbour resize of an id map (never blends ids).

    Args:
        part_map (np.ndarray): H×W ids.
        width (int): Target width.
        height (int): Target height.

    Returns:
        np.ndarray: The resized map, same dtype.
    """
    return mmcv.imresize(
        part_map, (width, height), interpolation='nearest', backend='cv2')


@TRANSFORMS.register_module()
class PartRandomResizedCrop(RandomResizedCrop):
    """``RandomResizedCrop`` applied to ``img`` and ``gt_seg_map`` alike.

    Takes the arguments of mmpretrain's ``RandomResizedCrop``; the
    interpolation applies to the image, the map always uses nearest.

    **Required Keys:**

    - img
    - gt_seg_map (optional, e.g. from ``LoadPartMap``)

    **Modified Keys:**

    - img
    - img_shape
    - gt_seg_map (the same box, resized to ``scale``)
    """

    def transform(self, results: dict) -> dict:
        """Crop one random box from image and map, resize to ``scale``.

        Args:
            results (dict): The sample.

        Returns:
            dict: The sample, ``img_shape`` updated.
        """
        offset_h, offset_w, target_h, target_w = self.rand_crop_params(
            results['img'])
        box = np.array([
            offset_w, offset_h, offset_w + target_w - 1,
            offset_h + target_h - 1
        ])
        height, width = self.scale
        results['img'] = mmcv.imresize(
            mmcv.imcrop(results['img'], bboxes=box), (width, height),
            interpolation=self.interpolation,
            backend=self.backend)
        results['img_shape'] = results['img'].shape
        if results.get('gt_seg_map') is not None:
            results['gt_seg_map'] = resize_part_map(
                mmcv.imcrop(results['gt_seg_map'], bboxes=box), width, height)
        return results


@TRANSFORMS.register_module()
class PartResizeEdge(ResizeEdge):
    """``ResizeEdge`` applied to ``img`` and ``gt_seg_map`` alike.

    Takes the arguments of mmpretrain's ``ResizeEdge``; the interpolation
    applies to the image, the map always uses nearest.

    **Required Keys:**

    - img
    - gt_seg_map (optional, e.g. from ``LoadPartMap``)

    **Modified Keys:**

    - img
    - img_shape
    - gt_seg_map (resized to the new ``img_shape``)

    **Added Keys:**

    - scale
    - scale_factor
    """

    def _resize_img(self, results: dict) -> None:
        """Resize the image as ``ResizeEdge`` does, then the map to match."""
        super()._resize_img(results)
        if results.get('gt_seg_map') is not None:
            height, width = results['img_shape']
            results['gt_seg_map'] = resize_part_map(results['gt_seg_map'],
                                                    width, height)
