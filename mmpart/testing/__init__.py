# Copyright (c) mmpart contributors. All rights reserved.
from .toy_pinpp import QUIRKS, ClassSpec, PartSpec, make_toy_pinpp
from .toy_robustness import make_toy_robustness_root

__all__ = ['QUIRKS', 'ClassSpec', 'PartSpec', 'make_toy_pinpp',
    'make_toy_robustness_root'
]
