# Copyright (c) mmpart contributors. All rights reserved.
from .part_overlay import overlay_parts, render_part_legend_panel

__all__ = ['overlay_parts', 'render_part_legend_panel']
