# Copyright (c) mmpart contributors. All rights reserved.
from .part_bypass import MultiScalePartBypass, separable_conv

__all__ = ['MultiScalePartBypass', 'separable_conv']
