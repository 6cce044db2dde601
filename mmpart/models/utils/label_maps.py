# Copyright (c) mmpart contributors. All rights reserved.
"""Label maps kept as indices: nearest resizing and the taps of a bilinear
resize, so soft part targets never need a one-hot tensor."""
from functools import lru_cache
from typing import Tuple

import torch
import torch.nn.functional as F


def resize_label_map(labels: torch.Tensor,
                     size: Tuple[int, int]) -> torch.Tensor:
    """Nearest-neighbour resize of ``(B, H, W)`` integer labels.

    Args:
        labels (Tensor): Label maps.
        size (tuple[int, int]): Target ``(h, w)``.

    Returns:
        Tensor: ``(B, h, w)`` int64 labels.
    """
    if tuple(labels.shape[-2:]) == tuple(size):
        return labels.long()
    # float32 represents ids exactly up to 2**24.
    return F.interpolate(
        labels[:, None].float(), size=size, mode='nearest')[:, 0].long()


@lru_cache(maxsize=32)
def _bilinear_taps_cpu(in_size: Tuple[int, int],
                       out_size: Tuple[int, int]):
    n = in_size[0] * in_size[1]
    eye = torch.eye(n).view(n, 1, *in_size)
    mix = F.interpolate(
        eye, size=out_size, mode='bilinear', align_corners=False)
    mix = mix.view(n, -1).t()  # (out pixels, in pixels)
    taps = int((mix > 0).sum(1).max())
    weights, sources = mix.topk(taps, dim=1)
    return sources.contiguous(), weights.contiguous()


def bilinear_taps(in_size: Tuple[int, int], out_size: Tuple[int, int],
                  device: torch.device) -> Tuple[torch.Tensor, torch.Tensor]:
    """Source pixels and weights of a bilinear resize (align_corners=False).

    Resizing a one-hot map bilinearly mixes, at each output pixel, the labels
    of a few input pixels (one when sizes match, four for 2:1 or 4:1), so a
    soft target can be kept as those labels and weights.

    Args:
        in_size (tuple[int, int]): Input ``(h, w)``.
        out_size (tuple[int, int]): Output ``(h, w)``.
        device (torch.device): Where to put the result.

    Returns:
        tuple[Tensor, Tensor]: ``(P_out, K)`` int64 source indices into the
        flattened input and ``(P_out, K)`` float weights (rows sum to 1).
    """
    sources, weights = _bilinear_taps_cpu(tuple(in_size), tuple(out_size))
    return sources.to(device), weights.to(device)
