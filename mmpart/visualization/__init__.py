# Copyright (c) mmpart contributors. All rights reserved.
from .palette import random_palette
from .part_overlay import (overlay_parts, render_part_legend_panel,
                           render_part_overlay_panel)
from .part_seg_result import render_part_seg_result

__all__ = [
    'overlay_parts', 'random_palette', 'render_part_legend_panel',
    'render_part_overlay_panel', 'render_part_seg_result'
]
