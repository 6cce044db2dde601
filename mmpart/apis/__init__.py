# Copyright (c) mmpart contributors. All rights reserved.
from .export import export_plain_classifier
from .official_checkpoint import convert_official_mpm, official_weights

__all__ = [
    'convert_official_mpm', 'export_plain_classifier', 'official_weights'
]
