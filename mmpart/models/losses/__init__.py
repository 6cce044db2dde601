# Copyright (c) mmpart contributors. All rights reserved.
from .pixel_soft_target_loss import PixelSoftTargetLoss
from .soft_focal_part_loss import SoftFocalPartLoss
from .sparse_soft_target_ce import SparseSoftTargetCE, sparse_soft_target_ce

__all__ = [
    'PixelSoftTargetLoss', 'SoftFocalPartLoss', 'SparseSoftTargetCE',
    'sparse_soft_target_ce'
]
