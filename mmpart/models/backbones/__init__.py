# Copyright (c) mmpart contributors. All rights reserved.
from .resnet12 import ResNet12
from .resnet_gelu import ResNetGELU, replace_relu_with_gelu

__all__ = ['ResNet12', 'ResNetGELU', 'replace_relu_with_gelu']
