# Copyright (c) mmpart contributors. All rights reserved.
from .part_map_conv_neck import PartMapConvNeck

__all__ = ['PartMapConvNeck']
