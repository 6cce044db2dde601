# Copyright (c) mmpart contributors. All rights reserved.
from .palette import random_palette
from .part_overlay import (overlay_parts, render_part_legend_panel,
                           render_part_overlay_panel)

__all__ = [
    'overlay_parts', 'random_palette', 'render_part_legend_panel',
    'render_part_overlay_panel'
]
