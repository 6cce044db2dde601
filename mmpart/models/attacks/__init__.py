# Copyright (c) mmpart contributors. All rights reserved.
from .pgd import pgd_linf
from .pixel_space import PixelSpaceClassifier, from_pixels, to_pixels

__all__ = ['pgd_linf', 'PixelSpaceClassifier', 'from_pixels', 'to_pixels']
