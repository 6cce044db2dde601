# Copyright (c) mmpart contributors. All rights reserved.
from .resnet_gelu import ResNetGELU, replace_relu_with_gelu

__all__ = ['ResNetGELU', 'replace_relu_with_gelu']
