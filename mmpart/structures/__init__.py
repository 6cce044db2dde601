# Copyright (c) mmpart contributors. All rights reserved.
from .part_targets import PartTargets

__all__ = ['PartTargets']
