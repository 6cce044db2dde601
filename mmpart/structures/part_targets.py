# Copyright (c) mmpart contributors. All rights reserved.
from dataclasses import dataclass
from typing import List

import torch


@dataclass
class PartTargets:
    """A batch of part targets, kept as label maps (never one-hot).

    Each sample's soft target is ``sum_j coeffs[j][b] * onehot(maps[j][b])``
    (before label smoothing): one map with coefficient 1 normally, the map
    and its permuted partner with ``lam`` and ``1 - lam`` under Mixup.

    Args:
        maps (list[Tensor]): ``(B, H, W)`` int64 global part ids.
        coeffs (list[Tensor]): ``(B, )`` float mixing coefficients, one per
            map, summing to 1 per sample.
        sample_weights (Tensor): ``(B, )`` per-sample loss weights.
    """
    maps: List[torch.Tensor]
    coeffs: List[torch.Tensor]
    sample_weights: torch.Tensor
