# Copyright (c) mmpart contributors. All rights reserved.
from .class_subset_accuracy import ClassSubsetAccuracy
from .deepemd_episodic_accuracy import DeepEMDEpisodicAccuracy
from .episodic_accuracy import EpisodicAccuracy
from .imagenet_c_metric import ALEXNET_ERRORS, ImageNetCMetric
from .part_iou import PartIoUMetric
from .part_seg_metric import PartSegMetric
from .pinpp_instance_metric import PINPPInstanceMetric
from .pinpp_lvis_metric import PINPPLVISMetric
from .robust_accuracy import RobustAccuracy
from .shape_bias import ShapeBias

__all__ = [
    'ClassSubsetAccuracy', 'DeepEMDEpisodicAccuracy', 'ALEXNET_ERRORS',
    'ImageNetCMetric', 'PartIoUMetric', 'PartSegMetric', 'PINPPInstanceMetric',
    'PINPPLVISMetric', 'RobustAccuracy', 'ShapeBias', 'EpisodicAccuracy'
]
