# Copyright (c) mmpart contributors. All rights reserved.
"""Generators of toy PIN++ data in the real release shape, and of a toy
robustness root: the data of ``tools/run_toy.sh`` and of the tests."""
from .pinpp import QUIRKS, ClassSpec, PartSpec, make_toy_pinpp
from .robustness import make_toy_robustness_root

__all__ = [
    'QUIRKS', 'ClassSpec', 'PartSpec', 'make_toy_pinpp',
    'make_toy_robustness_root'
]
