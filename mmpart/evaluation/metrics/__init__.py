# Copyright (c) mmpart contributors. All rights reserved.
from .part_iou import PartIoUMetric
from .robust_accuracy import RobustAccuracy

__all__ = ['PartIoUMetric', 'RobustAccuracy']
