# Copyright (c) mmpart contributors. All rights reserved.
from .soft_focal_part_loss import SoftFocalPartLoss

__all__ = ['SoftFocalPartLoss']
