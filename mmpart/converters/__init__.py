# Copyright (c) mmpart contributors. All rights reserved.
"""Offline conversion: PIN++ release readers, the PIN++ converter and the
ImageNet-C writer. Not imported by ``import mmpart``."""
from .imagenet_c_writer import write_imagenet_c
from .pinpp_converter import (DEFAULT_SPLIT_RATIOS, PinppConverter,
                              PinppFormatError)

__all__ = [
    'DEFAULT_SPLIT_RATIOS', 'PinppConverter', 'PinppFormatError',
    'write_imagenet_c'
]
