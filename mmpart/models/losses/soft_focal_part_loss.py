# Copyright (c) mmpart contributors. All rights reserved.
from typing import Optional, Sequence, Tuple

import torch
import torch.nn as nn
from mmpretrain.models.losses.utils import weight_reduce_loss

from mmpart.registry import MODELS
from mmpart.structures import PartTargets
from ..utils.label_maps import bilinear_taps, resize_label_map
from .sparse_soft_target_ce import SparseSoftTargetCE

#: The reductions of mmpretrain's ``weight_reduce_loss``.
REDUCTIONS = ('none', 'mean', 'sum')


def _check_reduction(reduction: str, what: str) -> None:
    """Fail early, naming the argument, on a reduction not in
    :data:`REDUCTIONS`."""
    if reduction not in REDUCTIONS:
        raise ValueError(f'{what} must be one of {REDUCTIONS}, got '
                         f'{reduction!r}')


@MODELS.register_module()
class SoftFocalPartLoss(nn.Module):
    """The multi-scale soft focal part loss of MPM, from label indices.

    MPM (Li et al., "PartImageNet++ Dataset: Scaling up Part-based Models
    for Robust Recognition", ECCV 2024) supervises its part bypass with this
    loss: the part map, nearest-resized to ``target_size``, one-hot with
    label smoothing (off value ``label_smoothing / C``), bilinearly
    downsampled to each coarser scale (Mixup blends two such maps); per
    pixel ``ce`` = soft-target cross-entropy, ``p = exp(-ce)``, ``loss =
    (1 - p)^gamma * ce``; times a per-sample weight, mean over pixels, then
    mean over scales.

    Here no one-hot of the C classes is built (at 3311 part classes and
    28x28 it takes about 10 MB per image). With ``T = (1 - eps) * sum_k w_k
    onehot(l_k) + eps / C``, where the ``(w_k, l_k)`` are the few labels a
    bilinear resize mixes at a pixel, ``ce = (1 - eps) * (lse(z) - sum_k
    w_k z_{l_k}) + eps * (lse(z) - mean_c z_c)``: a log-sum-exp, a gather of
    K labels and a mean over classes (:class:`SparseSoftTargetCE`).

    Args:
        gamma (float): Focusing parameter. Defaults to 2.
        label_smoothing (float): ``eps``. Defaults to 0.1.
        target_size (tuple[int, int]): Size the map is first resized to
            (nearest). Defaults to (28, 28).
        reduction (str): How the per-sample losses are reduced: ``'mean'``,
            ``'sum'`` or ``'none'``. Defaults to ``'mean'``.
        loss_weight (float): Multiplier of the result. Defaults to 1.

    Examples:
        >>> import torch
        >>> from mmpart.models import SoftFocalPartLoss
        >>> from mmpart.structures import PartTargets
        >>> maps = torch.randint(0, 5, (2, 56, 56))
        >>> targets = PartTargets([maps], [torch.ones(2)], torch.ones(2))
        >>> logits = [torch.randn(2, 5, s, s) for s in (7, 14, 28)]
        >>> SoftFocalPartLoss()(logits, targets).shape
        torch.Size([])
    """

    def __init__(self,
                 gamma: float = 2.0,
                 label_smoothing: float = 0.1,
                 target_size: Tuple[int, int] = (28, 28),
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__()
        _check_reduction(reduction, 'reduction')
        self.gamma = gamma
        self.label_smoothing = label_smoothing
        self.target_size = tuple(target_size)
        self.reduction = reduction
        self.loss_weight = loss_weight

    def loss_at_scale(self, logits: torch.Tensor,
                      labels: Sequence[torch.Tensor],
                      targets: PartTargets) -> torch.Tensor:
        """The focal loss at one scale, per sample, before sample weights.

        Args:
            logits (Tensor): ``(B, C, h, w)`` part logits.
            labels (Sequence[Tensor]): ``(B, *target_size)`` label maps, one
                per mixed map.
            targets (PartTargets): The mixing coefficients.

        Returns:
            Tensor: ``(B, )`` mean over the ``h * w`` pixels.
        """
        sources, tap_weights = bilinear_taps(self.target_size,
                                             tuple(logits.shape[-2:]),
                                             logits.device)
        index = torch.cat([lab.flatten(1)[:, sources].transpose(1, 2)
                           for lab in labels], dim=1)  # (B, K, P)
        weight = torch.cat([
            coeff.to(logits.dtype)[:, None, None] * tap_weights.t()[None]
            for coeff in targets.coeffs
        ], dim=1)  # (B, K, P)
        z = logits.flatten(2).float()  # (B, C, P)
        ce = SparseSoftTargetCE.apply(z, index, weight, self.label_smoothing)
        focal = (1 - torch.exp(-ce)).pow(self.gamma) * ce
        return focal.mean(1)

    def forward(self,
                part_logits: Sequence[torch.Tensor],
                targets: PartTargets,
                weight: Optional[torch.Tensor] = None,
                avg_factor: Optional[float] = None,
                reduction_override: Optional[str] = None) -> torch.Tensor:
        """The loss over all scales, times ``loss_weight``.

        Each sample's loss is the mean over scales of its mean over pixels,
        times ``targets.sample_weights`` (and ``weight``); these are then
        reduced as mmpretrain's losses reduce (``weight_reduce_loss``).

        Args:
            part_logits (Sequence[Tensor]): ``(B, C, h, w)`` logits per
                scale.
            targets (PartTargets): The batch's part targets.
            weight (Tensor, optional): ``(B, )`` sample weights, on top of
                ``targets.sample_weights``. Defaults to None.
            avg_factor (float, optional): Divide the sum over samples by
                this instead of by ``B`` in the ``'mean'`` reduction, e.g.
                ``targets.sample_weights.sum()`` to average over the samples
                that have parts. Defaults to None.
            reduction_override (str, optional): ``'none'``, ``'mean'`` or
                ``'sum'`` instead of ``reduction``. Defaults to None.

        Returns:
            Tensor: Scalar loss, or ``(B, )`` losses for ``'none'``.
        """
        if reduction_override is not None:
            _check_reduction(reduction_override, 'reduction_override')
        reduction = reduction_override or self.reduction
        labels = [resize_label_map(m, self.target_size) for m in targets.maps]
        per_sample = torch.stack(
            [self.loss_at_scale(x, labels, targets) for x in part_logits],
            dim=1).mean(1)
        sample_weights = targets.sample_weights.float()
        if weight is not None:
            if tuple(weight.shape) != tuple(sample_weights.shape):
                raise ValueError(
                    f'weight must have shape {tuple(sample_weights.shape)} '
                    f'(one per sample), got {tuple(weight.shape)}')
            sample_weights = sample_weights * weight.float()
        return self.loss_weight * weight_reduce_loss(
            per_sample, sample_weights, reduction, avg_factor)
