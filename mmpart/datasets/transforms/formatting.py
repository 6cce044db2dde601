# Copyright (c) mmpart contributors. All rights reserved.
import numpy as np
import torch
from mmpretrain.datasets.transforms import PackInputs

from mmpart.registry import TRANSFORMS


@TRANSFORMS.register_module()
class PackPartInputs(PackInputs):
    """``PackInputs`` that also packs the part map.

    The data sample gets ``gt_part_map`` (int64 H×W tensor) and the metainfo
    ``part_map_valid`` (a real map was loaded) and ``part_map_is_pseudo``
    (the map is a pseudo label, not a human annotation).

    Takes the arguments of mmpretrain's ``PackInputs``.
    """

    def transform(self, results: dict) -> dict:
        """Pack image, label and part map.

        Args:
            results (dict): The sample.

        Returns:
            dict: ``inputs`` and ``data_samples``.
        """
        packed = super().transform(results)
        part_map = results.get('gt_seg_map')
        if part_map is not None:
            sample = packed['data_samples']
            sample.set_field(
                torch.from_numpy(np.ascontiguousarray(part_map).astype(
                    np.int64)), 'gt_part_map', dtype=torch.Tensor)
            sample.set_metainfo(
                dict(
                    part_map_valid=bool(results.get('part_map_valid', True)),
                    part_map_is_pseudo=bool(
                        results.get('part_map_is_pseudo', False))))
        return packed
