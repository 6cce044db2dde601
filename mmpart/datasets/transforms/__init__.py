# Copyright (c) mmpart contributors. All rights reserved.
from .formatting import PackPartInputs
from .loading import LoadPartMap
from .processing import PartRandomResizedCrop, PartResizeEdge, resize_part_map

__all__ = [
    'LoadPartMap', 'PackPartInputs', 'PartRandomResizedCrop',
    'PartResizeEdge', 'resize_part_map'
]
