# Copyright (c) mmpart contributors. All rights reserved.
from .toy_pinpp import QUIRKS, ClassSpec, PartSpec, make_toy_pinpp

__all__ = ['QUIRKS', 'ClassSpec', 'PartSpec', 'make_toy_pinpp']
