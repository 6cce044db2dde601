# Copyright (c) mmpart contributors. All rights reserved.
from .corruption import ImageNetCorruption
from .formatting import PackPartInputs
from .loading import LoadPartMap
from .processing import PartRandomResizedCrop, PartResizeEdge, resize_part_map

__all__ = [
    'ImageNetCorruption', 'LoadPartMap', 'PackPartInputs',
    'PartRandomResizedCrop', 'PartResizeEdge', 'resize_part_map'
]
