# Copyright (c) mmpart contributors. All rights reserved.
from .official_mpm import convert_official_mpm, official_weights
from .plain_classifier import export_plain_classifier

__all__ = [
    'convert_official_mpm', 'export_plain_classifier', 'official_weights'
]
