# Copyright (c) mmpart contributors. All rights reserved.
from .lazy_pixel_logits import LazyPixelLogits
from .part_maps import (MAP_IGNORE_INDEX, IdMap, as_ids, check_ids,
                        object_map_id)
from .part_targets import PartTargets

__all__ = [
    'LazyPixelLogits', 'MAP_IGNORE_INDEX', 'IdMap', 'as_ids', 'check_ids',
    'object_map_id', 'PartTargets'
]
