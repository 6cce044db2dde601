# Copyright (c) mmpart contributors. All rights reserved.
"""Reductions over classes of scores made one chunk of classes at a time.

Upsampling ``C`` class maps to full resolution before an argmax (what
mmseg's prediction does) holds ``C x H x W`` floats: 3.5 GB for one 512x512
image at the 3311 PIN++ part classes. Upsampling treats each class map
alone, so the same maps can be made ``chunk`` classes at a time and reduced
as they come.
"""
from typing import Callable, Iterator, Tuple

import torch


def _class_chunks(num_classes: int, chunk: int) -> Iterator[slice]:
    """Slices of at most ``chunk`` classes covering ``num_classes``."""
    if chunk < 1:
        raise ValueError(f'chunk must be a positive number of classes, '
                         f'got {chunk}')
    for start in range(0, num_classes, chunk):
        yield slice(start, min(start + chunk, num_classes))


def chunked_max(scores_of: Callable[[slice], torch.Tensor],
                num_classes: int,
                chunk: int,
                dim: int = 0) -> Tuple[torch.Tensor, torch.Tensor]:
    """``max`` over classes (values and indices), one chunk at a time.

    Merged by a running maximum; ties keep the lowest class, as
    ``torch.max`` does, so the result is the whole tensor's exactly.

    Args:
        scores_of (Callable[[slice], Tensor]): Makes the scores of a slice
            of classes, along ``dim``.
        num_classes (int): The number of classes.
        chunk (int): Classes per call.
        dim (int): The class dimension of what ``scores_of`` returns.
            Defaults to 0.

    Returns:
        tuple[Tensor, Tensor]: The maximum and the int64 argmax, without
        ``dim``.
    """
    best = labels = None
    for classes in _class_chunks(num_classes, chunk):
        top, arg = scores_of(classes).max(dim)
        arg += classes.start
        if best is None:
            best, labels = top, arg
        else:
            better = top > best
            best = torch.where(better, top, best)
            labels = torch.where(better, arg, labels)
    return best, labels


def chunked_argmax(logits_of: Callable[[slice], torch.Tensor],
                   num_classes: int,
                   chunk: int,
                   dim: int = 0) -> torch.Tensor:
    """``argmax`` over classes of logits made one chunk at a time (see
    :func:`chunked_max`): the stock prediction without the full tensor.

    Args:
        logits_of (Callable[[slice], Tensor]): Makes the logits of a slice
            of classes, along ``dim``.
        num_classes (int): The number of classes.
        chunk (int): Classes per call.
        dim (int): The class dimension. Defaults to 0.

    Returns:
        Tensor: The int64 argmax, without ``dim``.
    """
    return chunked_max(logits_of, num_classes, chunk, dim)[1]


def chunked_logsumexp(logits_of: Callable[[slice], torch.Tensor],
                      num_classes: int,
                      chunk: int,
                      dim: int = 0) -> torch.Tensor:
    """``logsumexp`` over classes of logits made one chunk at a time, the
    normaliser of a softmax whose tensor is never held whole.

    Args:
        logits_of (Callable[[slice], Tensor]): Makes the logits of a slice
            of classes, along ``dim``.
        num_classes (int): The number of classes.
        chunk (int): Classes per call.
        dim (int): The class dimension. Defaults to 0.

    Returns:
        Tensor: The log-sum-exp, without ``dim``.
    """
    total = None
    for classes in _class_chunks(num_classes, chunk):
        part = torch.logsumexp(logits_of(classes), dim)
        total = part if total is None else torch.logaddexp(total, part)
    return total
