# Copyright (c) mmpart contributors. All rights reserved.
from .multi_scale_part_bypass import MultiScalePartBypass

__all__ = ['MultiScalePartBypass']
