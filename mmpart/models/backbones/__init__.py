# Copyright (c) mmpart contributors. All rights reserved.
from .conv_mlp_encoder import ConvMLPEncoder
from .part_aware_dual_encoder import PartAwareDualEncoder
from .resnet12 import ResNet12
from .resnet_gelu import ResNetGELU, replace_relu_with_gelu

__all__ = [
    'ConvMLPEncoder', 'PartAwareDualEncoder', 'ResNet12', 'ResNetGELU',
    'replace_relu_with_gelu'
]
