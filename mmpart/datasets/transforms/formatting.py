# Copyright (c) mmpart contributors. All rights reserved.
from typing import Mapping

import numpy as np
import torch
from mmpretrain.datasets.transforms import PackInputs

from mmpart.registry import TRANSFORMS


def is_real_part_map(fields: Mapping) -> bool:
    """Whether a sample's part map is a real one (human or pseudo), not the
    all-background stand-in of an image without a map.

    The one default of ``part_map_valid``, for the packer
    (:class:`PackPartInputs`), the data preprocessor (the sample's loss
    weight) and ``PartIoUMetric`` (which samples are scored): a map that
    comes without the flag is real. Only ``LoadPartMap`` makes stand-ins,
    and it marks them ``part_map_valid=False``; a map from any other
    loader (e.g. mmseg's ``LoadAnnotations``) was read from a file.

    Args:
        fields (Mapping): The transform results or the packed sample (its
            metainfo), anything with ``get``.

    Returns:
        bool: ``fields['part_map_valid']``, True when absent.
    """
    return bool(fields.get('part_map_valid', True))


@TRANSFORMS.register_module()
class PackPartInputs(PackInputs):
    """``PackInputs`` that also packs the part map.

    The data sample gets ``gt_part_map`` (int64 H×W tensor) and the metainfo
    ``part_map_valid`` (a real map, see :func:`is_real_part_map`),
    ``part_map_is_pseudo`` (the map is a pseudo label, not a human
    annotation) and ``seg_map_path`` (the map's file, named by errors
    downstream).

    The map must have the image's size: a transform that moves the image
    but not the maps in ``seg_fields`` (e.g. mmpretrain's
    ``RandomResizedCrop`` where ``PartRandomResizedCrop`` belongs) would
    otherwise train on a misaligned map, as the part loss resizes it
    anyway.

    Required keys: ``img``, ``gt_seg_map`` (optional), ``part_map_valid``
    (optional), ``part_map_is_pseudo`` (optional), ``seg_map_path``
    (optional), and those of ``PackInputs``.

    Takes the arguments of mmpretrain's ``PackInputs``.

    Examples:
        >>> import numpy as np
        >>> from mmpart.datasets.transforms import PackPartInputs
        >>> packed = PackPartInputs()(dict(
        ...     img=np.zeros((4, 6, 3), np.uint8), gt_label=1,
        ...     gt_seg_map=np.ones((4, 6), np.uint16), part_map_valid=True))
        >>> packed['data_samples'].gt_part_map.shape
        torch.Size([4, 6])
        >>> packed['data_samples'].part_map_valid
        True
    """

    def transform(self, results: dict) -> dict:
        """Pack image, label and part map.

        Args:
            results (dict): The sample.

        Returns:
            dict: ``inputs`` and ``data_samples``.

        Raises:
            ValueError: If the map and the image differ in size, naming the
                map and the transforms to check.
        """
        part_map = results.get('gt_seg_map')
        if part_map is not None:
            self.check_map_size(results)
        packed = super().transform(results)
        if part_map is not None:
            sample = packed['data_samples']
            sample.set_field(
                torch.from_numpy(np.ascontiguousarray(part_map).astype(
                    np.int64)), 'gt_part_map', dtype=torch.Tensor)
            sample.set_metainfo(
                dict(
                    part_map_valid=is_real_part_map(results),
                    part_map_is_pseudo=bool(
                        results.get('part_map_is_pseudo', False)),
                    seg_map_path=results.get('seg_map_path')))
        return packed

    @staticmethod
    def check_map_size(results: dict) -> None:
        """Refuse a part map whose size is not its image's.

        Args:
            results (dict): The transform results, with ``img`` and
                ``gt_seg_map``.

        Raises:
            ValueError: Naming the map (``seg_map_path``), both sizes and the
                transforms between ``LoadPartMap`` and the packer.
        """
        map_shape = tuple(results['gt_seg_map'].shape[:2])
        img_shape = tuple(results['img'].shape[:2])
        if map_shape != img_shape:
            raise ValueError(
                f'{results.get("seg_map_path")}: the part map is {map_shape}, '
                f'its image {img_shape} ({results.get("img_path")}) when '
                'packed: a transform between LoadPartMap and PackPartInputs '
                'moved the image but not the maps in seg_fields (e.g. '
                "mmpretrain's RandomResizedCrop / ResizeEdge instead of "
                'PartRandomResizedCrop / PartResizeEdge): check that chain of '
                'the pipeline')
