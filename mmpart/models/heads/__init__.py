# Copyright (c) mmpart contributors. All rights reserved.
from .deepemd_head import DeepEMDHead
from .multi_scale_part_bypass import MultiScalePartBypass

__all__ = ['DeepEMDHead', 'MultiScalePartBypass']
