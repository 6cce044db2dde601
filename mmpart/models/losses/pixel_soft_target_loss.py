# Copyright (c) mmpart contributors. All rights reserved.
from typing import Optional

import torch
import torch.nn as nn

from mmpart.registry import MODELS
from mmpart.structures import check_ids
from ..utils.label_maps import upsampling_adjoint_taps
from .sparse_soft_target_ce import sparse_soft_target_ce


@MODELS.register_module()
class PixelSoftTargetLoss(nn.Module):
    """Segmentation cross-entropy at the logits' resolution, against the
    label map's soft target there.

    A stock mmseg decode head upsamples its ``(B, C, h, w)`` logits to the
    label size before the cross-entropy. At the 3311 PIN++ part classes
    that tensor (and its softmax and gradient) is GBs per batch and most of
    the step's time. This loss instead brings the *target* to ``(h, w)``:
    at each logit pixel, the label map's one-hot weighted by how much that
    pixel's logits reach each label pixel under the stock bilinear
    upsampling (the columns of that upsampling, a triangle filter about
    twice the scale wide: :func:`~mmpart.models.utils.
    upsampling_adjoint_taps`), kept as labels and weights, never as a
    one-hot. So the label side of the gradient is the stock one's, and
    every label pixel counts (a bilinear downsampling of the labels would
    read only 4 of the 16 pixels of a 4x4 cell and miss thin parts). The
    cross-entropy is then taken at ``(h, w)`` by the chunked kernel
    :func:`sparse_soft_target_ce`.

    Ignored label pixels carry no target mass: each low-resolution pixel's
    weights are renormalised over its valid taps, and the pixel counts by
    the fraction of its taps that are valid (0 if none). As mmseg's
    ``CrossEntropyLoss``, the sum is divided by the number of pixels, or,
    with ``avg_non_ignore``, by the valid mass.

    Use it as every ``loss_decode`` of a
    :class:`~mmpart.models.segmentors.PartEncoderDecoder`, which passes
    the logits at their own resolution.

    Args:
        loss_weight (float): Multiplier of the loss. Defaults to 1.
        label_smoothing (float): Smoothing ``eps`` of the soft target.
            Defaults to 0.
        avg_non_ignore (bool): Average over the valid pixels only.
            Defaults to False (mmseg's default).
        loss_name (str): Name of the loss in the logs; must start with
            ``loss_`` to be optimised. Defaults to ``'loss_ce'``.
    """

    def __init__(self,
                 loss_weight: float = 1.0,
                 label_smoothing: float = 0.0,
                 avg_non_ignore: bool = False,
                 loss_name: str = 'loss_ce'):
        super().__init__()
        self.loss_weight = loss_weight
        self.label_smoothing = label_smoothing
        self.avg_non_ignore = avg_non_ignore
        self._loss_name = loss_name

    @property
    def loss_name(self) -> str:
        """The loss's name in the logs (mmseg's loss interface)."""
        return self._loss_name

    def forward(self,
                seg_logits: torch.Tensor,
                seg_label: torch.Tensor,
                weight: Optional[torch.Tensor] = None,
                ignore_index: int = 255,
                **kwargs) -> torch.Tensor:
        """The loss of a batch.

        Args:
            seg_logits (Tensor): ``(B, C, h, w)`` logits at the head's
                resolution.
            seg_label (Tensor): ``(B, H, W)`` label map at the input's.
            weight (Tensor, optional): Per-pixel weights of an mmseg pixel
                sampler; not supported (they live at the label's
                resolution).
            ignore_index (int): Label of pixels without a target.

        Returns:
            Tensor: The scalar loss.
        """
        if weight is not None:
            raise ValueError('PixelSoftTargetLoss does not take per-pixel '
                             'weights (an mmseg pixel sampler): remove the '
                             "head's sampler")
        batch, num_classes, height, width = seg_logits.shape
        seg_label = seg_label.reshape(batch, -1,
                                      *seg_label.shape[-2:])[:, 0].long()
        check_ids(seg_label, num_classes, ignore_index, [
            f'the label map of sample {b} in PixelSoftTargetLoss'
            for b in range(batch)
        ])
        sources, tap_weights = upsampling_adjoint_taps(
            tuple(seg_label.shape[-2:]), (height, width), seg_logits.device)
        labels = seg_label.flatten(1)[:, sources]  # (B, P, K)
        valid = labels != ignore_index
        weights = tap_weights[None] * valid
        mass = weights.sum(-1)
        weights = weights / mass.clamp(min=1e-12)[..., None]
        if self.avg_non_ignore:
            denominator = mass.sum().clamp(min=torch.finfo(mass.dtype).eps)
        else:
            denominator = mass.numel()
        coef = (mass * (self.loss_weight / denominator)).flatten()
        rows = seg_logits.permute(0, 2, 3, 1).reshape(-1, num_classes)
        index = torch.where(valid, labels, 0).flatten(0, 1)
        return sparse_soft_target_ce(rows, index, weights.flatten(0, 1),
                                     coef, self.label_smoothing)
