# Copyright (c) mmpart contributors. All rights reserved.
from .lazy_pixel_logits import LazyPixelLogits
from .part_targets import PartTargets

__all__ = ['LazyPixelLogits', 'PartTargets']
