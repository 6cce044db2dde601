# Copyright (c) mmpart contributors. All rights reserved.
"""Generators of toy PIN++ data in the real release shape (a small
learnable set, and a full-shape one with the official label space), and of
a toy robustness root: the data of ``tools/run_toy.sh`` and of the tests."""
from .fullshape_pinpp import make_fullshape_pinpp, plan_fullshape_pinpp
from .pinpp import QUIRKS, ClassSpec, PartSpec, make_toy_pinpp
from .robustness import make_toy_robustness_root

__all__ = [
    'QUIRKS', 'ClassSpec', 'PartSpec', 'make_toy_pinpp',
    'make_toy_robustness_root', 'make_fullshape_pinpp', 'plan_fullshape_pinpp'
]
