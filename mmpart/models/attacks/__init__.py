# Copyright (c) mmpart contributors. All rights reserved.
from .pgd import pgd_linf
from .pixel_space import PixelSpaceClassifier, from_pixels, to_pixels
from .protocols import ATTACK_PROTOCOLS, resolve_attack_cfg
from .torchattacks_adapter import DEFAULT_EPS, attack_norm, build_attack

__all__ = [
    'ATTACK_PROTOCOLS', 'DEFAULT_EPS', 'PixelSpaceClassifier', 'attack_norm',
    'build_attack', 'from_pixels', 'pgd_linf', 'resolve_attack_cfg',
    'to_pixels'
]
