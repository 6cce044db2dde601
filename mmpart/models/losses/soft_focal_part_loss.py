# Copyright (c) mmpart contributors. All rights reserved.
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn

from mmpart.datasets.layout import MAP_IGNORE_INDEX
from mmpart.registry import MODELS
from mmpart.structures import LazyPixelLogits, PartTargets, check_ids
from ..utils.label_maps import bilinear_taps, resize_label_map
from .sparse_soft_target_ce import sparse_soft_target_ce

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
    K labels and a mean over classes (:class:`SparseSoftTargetCE`), chunked
    over pixels. Given :class:`~mmpart.structures.LazyPixelLogits` (the
    bypass's last 1x1 convs and their inputs) instead of logits, the
    classifier is fused into that kernel and the ``(B, C, h, w)`` logits,
    their softmax and their gradient are never held whole: this takes
    MPM's extra training memory over the plain classifier from about 375 to
    under 250 MB (ResNet-50, batch 16, 224 px, 3311 classes).

    Pixels labelled ``ignore_index`` carry no target: pseudo part maps
    (made by a part segmenter for the images without human masks) mark
    their low-confidence pixels so, and the loss must neither learn them as
    a class nor as background. A bilinear tap on such a pixel gets weight 0;
    each pixel's remaining tap weights (of both maps under Mixup) are
    renormalised to sum to 1 and the pixel is weighted by their sum, its
    valid mass. A sample's value at a scale is then ``sum(mass * loss) /
    sum(mass)`` over its pixels, the mean over its non-ignored pixels (the
    plain mean when none is ignored), and 0 when all are ignored.

    Args:
        gamma (float): Focusing parameter. Defaults to 2.
        label_smoothing (float): ``eps``. Defaults to 0.1.
        target_size (tuple[int, int]): Size the map is first resized to
            (nearest). Defaults to (28, 28).
        reduction (str): How the per-sample losses are reduced: ``'mean'``,
            ``'sum'`` or ``'none'``. Defaults to ``'mean'``.
        loss_weight (float): Multiplier of the result. Defaults to 1.
        ignore_index (int): Label of pixels without a target. Defaults to
            :data:`~mmpart.datasets.layout.MAP_IGNORE_INDEX` (65535, the
            ignore value of the 16-bit part maps).

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
                 loss_weight: float = 1.0,
                 ignore_index: int = MAP_IGNORE_INDEX):
        super().__init__()
        _check_reduction(reduction, 'reduction')
        self.gamma = gamma
        self.label_smoothing = label_smoothing
        self.target_size = tuple(target_size)
        self.reduction = reduction
        self.loss_weight = loss_weight
        self.ignore_index = ignore_index

    def _pixel_rows(
        self, logits: Union[torch.Tensor, LazyPixelLogits],
        labels: Sequence[torch.Tensor], targets: PartTargets
    ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """One scale's pixels as rows, with their sparse soft targets.

        Args:
            logits (Tensor | LazyPixelLogits): ``(B, C, h, w)`` part logits,
                or the classifier that makes them.
            labels (Sequence[Tensor]): ``(B, *target_size)`` label maps, one
                per mixed map.
            targets (PartTargets): The mixing coefficients.

        Returns:
            tuple[Tensor, Tensor, Tensor, Tensor]: ``(B * h * w, D)`` rows
            (logits, or features for a lazy classifier), sample-major;
            their ``(B * h * w, K)`` target labels and weights (summing to 1
            over the valid taps, 0 at ignored ones); and each row's
            ``(B * h * w, )`` share of its sample, its valid mass over the
            sample's (0 for a sample without valid mass).
        """
        maps = logits.features if isinstance(logits,
                                             LazyPixelLogits) else logits
        sources, tap_weights = bilinear_taps(self.target_size,
                                             tuple(maps.shape[-2:]),
                                             maps.device)
        index = torch.cat([lab.flatten(1)[:, sources] for lab in labels],
                          dim=2)  # (B, P, K)
        valid = index != self.ignore_index
        weight = torch.cat([
            coeff.float()[:, None, None] * tap_weights[None]
            for coeff in targets.coeffs
        ], dim=2) * valid
        tiny = torch.finfo(weight.dtype).tiny
        mass = weight.sum(2)  # (B, P)
        weight = weight / mass.clamp(min=tiny)[..., None]
        share = mass / mass.sum(1, keepdim=True).clamp(min=tiny)
        index = index.masked_fill(~valid, 0)
        rows = maps.permute(0, 2, 3, 1).reshape(-1, maps.shape[1])
        return (rows, index.flatten(0, 1), weight.flatten(0, 1),
                share.flatten())

    def _weighted_sum(self, logits: Union[torch.Tensor, LazyPixelLogits],
                      rows: torch.Tensor, index: torch.Tensor,
                      weight: torch.Tensor, share: torch.Tensor,
                      sample_coef: torch.Tensor) -> torch.Tensor:
        """``sum_b sample_coef[b] * (mass-weighted mean over pixels of focal
        loss)`` over the samples whose rows are given."""
        pixels = rows.shape[0] // sample_coef.numel()
        coef = share * sample_coef.float().repeat_interleave(pixels)
        lazy = isinstance(logits, LazyPixelLogits)
        return sparse_soft_target_ce(
            rows, index, weight, coef, self.label_smoothing, self.gamma,
            classifier=logits.weight if lazy else None,
            bias=logits.bias if lazy else None)

    def _check_labels(self, labels: Sequence[torch.Tensor],
                      num_classes: int) -> None:
        """Fail, naming the sample and the label, on one that is neither a
        class nor the ignore index (the gather would index out of range).

        The maps here may be mixed (Mixup, CutMix), so no file is named:
        ``PartClsDataPreprocessor`` names it, checking before the mix.
        """
        for j, lab in enumerate(labels):
            check_ids(lab, num_classes, self.ignore_index, [
                f'part target {j} of sample {b} in the part loss'
                for b in range(len(lab))
            ])

    def forward(self,
                part_logits: Sequence[Union[torch.Tensor, LazyPixelLogits]],
                targets: PartTargets,
                weight: Optional[torch.Tensor] = None,
                avg_factor: Optional[float] = None,
                reduction_override: Optional[str] = None) -> torch.Tensor:
        """The loss over all scales, times ``loss_weight``.

        Each sample's loss is the mean over scales of its mean over its
        non-ignored pixels (weighted by their valid mass), times
        ``targets.sample_weights`` (and ``weight``); these are then reduced
        as mmpretrain's losses reduce (``weight_reduce_loss``): ``'mean'``
        divides their sum by ``B`` (or ``avg_factor``).

        Args:
            part_logits (Sequence[Tensor | LazyPixelLogits]): ``(B, C, h,
                w)`` logits per scale, or the 1x1 classifiers that make
                them (never computed whole: see
                :func:`~mmpart.models.losses.sparse_soft_target_ce`).
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
        sample_weights = targets.sample_weights.float()
        if weight is not None:
            if tuple(weight.shape) != tuple(sample_weights.shape):
                raise ValueError(
                    f'weight must have shape {tuple(sample_weights.shape)} '
                    f'(one per sample), got {tuple(weight.shape)}')
            sample_weights = sample_weights * weight.float()
        if reduction == 'none':
            denominator = 1.0
        elif avg_factor is not None:
            if reduction != 'mean':
                raise ValueError(
                    'avg_factor can not be used with reduction="sum"')
            # mmpretrain's weight_reduce_loss adds the same epsilon.
            denominator = avg_factor + torch.finfo(torch.float32).eps
        else:
            denominator = len(sample_weights) if reduction == 'mean' else 1
        sample_coef = sample_weights * (
            self.loss_weight / (len(part_logits) * denominator))
        labels = [resize_label_map(m, self.target_size) for m in targets.maps]
        self._check_labels(labels, part_logits[0].shape[1])
        scales = [(logits, *self._pixel_rows(logits, labels, targets))
                  for logits in part_logits]
        if reduction != 'none':
            return sum(
                self._weighted_sum(*scale, sample_coef) for scale in scales)
        # One sum per sample: rows are sample-major.
        per_sample = []
        for b, coef in enumerate(sample_coef):
            total = 0
            for logits, rows, index, tap_weight, share in scales:
                pixels = rows.shape[0] // len(sample_coef)
                sample = slice(b * pixels, (b + 1) * pixels)
                total = total + self._weighted_sum(
                    logits, rows[sample], index[sample], tap_weight[sample],
                    share[sample], coef[None])
            per_sample.append(total)
        return torch.stack(per_sample)
