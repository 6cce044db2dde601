# Copyright (c) mmpart contributors. All rights reserved.
from .cosine_from_start_lr import CosineAnnealingFromStartLR

__all__ = ['CosineAnnealingFromStartLR']
