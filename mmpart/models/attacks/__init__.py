# Copyright (c) mmpart contributors. All rights reserved.
from .pgd import pgd_linf

__all__ = ['pgd_linf']
