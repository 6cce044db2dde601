# Copyright (c) mmpart contributors. All rights reserved.
from mmpart.utils import ModelHub, download_checkpoint
from mmpart.visualization import render_part_seg_result
from .model import get_model, inference_model, init_model, list_models
from .part_segmentation import (PartSegResult, inference_part_segmentor,
                                init_part_segmentor, object_map_ids,
                                resolve_label_space)

__all__ = [
    'ModelHub', 'PartSegResult', 'download_checkpoint', 'get_model',
    'inference_model', 'inference_part_segmentor', 'init_model',
    'init_part_segmentor', 'list_models', 'object_map_ids',
    'render_part_seg_result', 'resolve_label_space'
]
