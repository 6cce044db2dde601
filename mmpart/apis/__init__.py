# Copyright (c) mmpart contributors. All rights reserved.
from .part_segmentation import (PartSegResult, inference_part_segmentor,
                                init_part_segmentor, object_map_ids,
                                render_part_seg_result, resolve_label_space)

__all__ = [
    'PartSegResult', 'inference_part_segmentor', 'init_part_segmentor',
    'object_map_ids', 'render_part_seg_result', 'resolve_label_space'
]
