# Copyright (c) mmpart contributors. All rights reserved.
from .adversarial_loops import AdversarialTestLoop, AdversarialValLoop

__all__ = ['AdversarialTestLoop', 'AdversarialValLoop']
