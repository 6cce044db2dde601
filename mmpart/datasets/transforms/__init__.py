# Copyright (c) mmpart contributors. All rights reserved.
from .corruption import ImageNetCorruption
from .formatting import PackPartInputs
from .loading import ImageDecodeError, LoadImageFromFile, LoadPartMap
from .object_crop import StackObjectCrop, object_box
from .pack_part_seg_inputs import PackPartSegInputs
from .processing import PartRandomResizedCrop, PartResizeEdge, resize_part_map

__all__ = [
    'ImageNetCorruption', 'ImageDecodeError', 'LoadImageFromFile',
    'LoadPartMap', 'PackPartInputs',
    'PackPartSegInputs', 'PartRandomResizedCrop', 'PartResizeEdge',
    'resize_part_map', 'StackObjectCrop', 'object_box'
]
