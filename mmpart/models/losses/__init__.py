# Copyright (c) mmpart contributors. All rights reserved.
from .soft_focal_part_loss import SoftFocalPartLoss
from .sparse_soft_target_ce import SparseSoftTargetCE

__all__ = ['SoftFocalPartLoss', 'SparseSoftTargetCE']
