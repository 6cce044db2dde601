# Copyright (c) mmpart contributors. All rights reserved.
from .multi_scale_part_bypass import MultiScalePartBypass, separable_conv

__all__ = ['MultiScalePartBypass', 'separable_conv']
