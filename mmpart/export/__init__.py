# Copyright (c) mmpart contributors. All rights reserved.
from .official_mpm import convert_official_mpm
from .plain_classifier import (PLAIN_BACKBONES, PLAIN_TRANSFORMS,
                               export_plain_classifier, plain_backbone,
                               plain_test_pipeline, resnet_gelu_as_timm)

__all__ = [
    'PLAIN_BACKBONES', 'PLAIN_TRANSFORMS', 'convert_official_mpm',
    'export_plain_classifier', 'plain_backbone',
    'plain_test_pipeline', 'resnet_gelu_as_timm'
]
