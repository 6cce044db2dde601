# Copyright (c) mmpart contributors. All rights reserved.
"""Label maps kept as indices: nearest resizing and the taps of a bilinear
resize, so soft targets never need a one-hot tensor."""
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


def _axis_taps(in_len: int, out_len: int) -> Tuple[torch.Tensor, ...]:
    """The two source positions and weights of each output position of a
    1-D linear resize, as PyTorch computes them (``align_corners=False``):
    source ``(i + 0.5) * in / out - 0.5``, clamped at 0."""
    scale = in_len / out_len
    src = ((torch.arange(out_len, dtype=torch.float64) + 0.5) * scale -
           0.5).clamp(min=0)
    first = src.floor().long().clamp(max=in_len - 1)
    second = (first + 1).clamp(max=in_len - 1)
    frac = (src - first).clamp(0, 1)
    return first, second, 1 - frac, frac


@lru_cache(maxsize=32)
def _bilinear_taps_cpu(in_size: Tuple[int, int],
                       out_size: Tuple[int, int]):
    y0, y1, wy0, wy1 = _axis_taps(in_size[0], out_size[0])
    x0, x1, wx0, wx1 = _axis_taps(in_size[1], out_size[1])
    rows = torch.stack([y0, y0, y1, y1], 1)[:, None]  # (h, 1, 4)
    cols = torch.stack([x0, x1, x0, x1], 1)[None]  # (1, w, 4)
    row_w = torch.stack([wy0, wy0, wy1, wy1], 1)[:, None]
    col_w = torch.stack([wx0, wx1, wx0, wx1], 1)[None]
    sources = (rows * in_size[1] + cols).view(-1, 4)
    weights = (row_w * col_w).view(-1, 4).float()
    # Keep only the taps some pixel uses (one when the sizes match).
    used = (weights > 0).any(0)
    return sources[:, used].contiguous(), weights[:, used].contiguous()


def _axis_adjoint_taps(full_len: int,
                       low_len: int) -> Tuple[torch.Tensor, torch.Tensor]:
    """For each low-resolution position, the full-resolution positions a
    1-D linear upsampling (``low_len`` to ``full_len``) spreads it to, and
    with which weights: the columns of that upsampling's matrix."""
    first, second, w_first, w_second = _axis_taps(low_len, full_len)
    matrix = torch.zeros(full_len, low_len, dtype=torch.float64)
    positions = torch.arange(full_len)
    matrix.index_put_((positions, first), w_first, accumulate=True)
    matrix.index_put_((positions, second), w_second, accumulate=True)
    taps = int((matrix > 0).sum(0).max())
    weights, sources = matrix.t().topk(taps, dim=1)
    return sources, weights


@lru_cache(maxsize=32)
def _upsampling_adjoint_taps_cpu(full_size: Tuple[int, int],
                                 low_size: Tuple[int, int]):
    ys, wy = _axis_adjoint_taps(full_size[0], low_size[0])
    xs, wx = _axis_adjoint_taps(full_size[1], low_size[1])
    sources = ys[:, None, :, None] * full_size[1] + xs[None, :, None, :]
    weights = wy[:, None, :, None] * wx[None, :, None, :]
    pixels = low_size[0] * low_size[1]
    sources, weights = sources.reshape(pixels, -1), weights.reshape(
        pixels, -1)
    weights = weights / weights.sum(1, keepdim=True)
    return sources.contiguous(), weights.float().contiguous()


def upsampling_adjoint_taps(
        full_size: Tuple[int, int], low_size: Tuple[int, int],
        device: torch.device) -> Tuple[torch.Tensor, torch.Tensor]:
    """The soft target at low resolution that matches an upsampled loss.

    A stock segmentation head upsamples its logits bilinearly to the label
    size and takes the cross-entropy there; the part of that loss's
    gradient that comes from the labels, at a low-resolution pixel, is the
    one-hot label map weighted by how much that pixel contributes to each
    full-resolution one (the transpose of the upsampling: a triangle filter
    about twice the scale wide). These are those full-resolution pixels and
    their weights, normalised to sum to 1: a low-resolution target that
    sees every label pixel, not only the few a bilinear downsampling reads.

    Args:
        full_size (tuple[int, int]): The label map's ``(H, W)``.
        low_size (tuple[int, int]): The logits' ``(h, w)``.
        device (torch.device): Where to put the result.

    Returns:
        tuple[Tensor, Tensor]: ``(h * w, K)`` int64 indices into the
        flattened label map and ``(h * w, K)`` float weights (rows sum to 1;
        zero-weight taps pad rows to one ``K``).
    """
    sources, weights = _upsampling_adjoint_taps_cpu(
        tuple(full_size), tuple(low_size))
    return sources.to(device), weights.to(device)


def bilinear_taps(in_size: Tuple[int, int], out_size: Tuple[int, int],
                  device: torch.device) -> Tuple[torch.Tensor, torch.Tensor]:
    """Source pixels and weights of a bilinear resize (align_corners=False).

    Resizing a one-hot map bilinearly mixes, at each output pixel, the labels
    of at most four input pixels (two per axis), so a soft target can be
    kept as those labels and weights. Computed per axis, so any size works
    (a label map of 512x512 included).

    Args:
        in_size (tuple[int, int]): Input ``(h, w)``.
        out_size (tuple[int, int]): Output ``(h, w)``.
        device (torch.device): Where to put the result.

    Returns:
        tuple[Tensor, Tensor]: ``(P_out, K)`` int64 source indices into the
        flattened input and ``(P_out, K)`` float weights (rows sum to 1;
        ``K`` is 1 when the sizes match, else up to 4).
    """
    sources, weights = _bilinear_taps_cpu(tuple(in_size), tuple(out_size))
    return sources.to(device), weights.to(device)
