# Copyright (c) mmpart contributors. All rights reserved.
"""Mixup / CutMix applied to images, labels and part maps together.

mmpretrain's batch augments draw their permutation, box and ``lam``
internally and only see ``(inputs, scores)``, so part maps cannot follow.
These draw them the same way (from ``np.random`` and ``torch.randperm``) and
apply one draw to all three.
"""
from typing import Optional, Tuple

import numpy as np
import torch
from mmpretrain.models.utils.batch_augments import (CutMix, Mixup,
                                                    RandomBatchAugment)

from mmpart.datasets.layout import MAP_IGNORE_INDEX
from mmpart.registry import BATCH_AUGMENTS
from mmpart.structures import PartTargets

PartBatch = Tuple[torch.Tensor, torch.Tensor, Optional[PartTargets]]


def has_part_pixels(maps: torch.Tensor,
                    ignore_index: int = MAP_IGNORE_INDEX) -> torch.Tensor:
    """Whether each part map has a part pixel, one neither background (0)
    nor ignored.

    A crop without one teaches only background, so it gets sample weight 0;
    an ignored pixel (low confidence in a pseudo map) is no part pixel.

    Args:
        maps (Tensor): ``(B, H, W)`` part maps.
        ignore_index (int): Label of pixels without a target. Defaults to
            :data:`~mmpart.datasets.layout.MAP_IGNORE_INDEX`.

    Returns:
        Tensor: ``(B, )`` bool.
    """
    flat = maps.flatten(1)
    return ((flat != 0) & (flat != ignore_index)).any(1)


class _PartMixMixin:
    """What the part-aware mixes share: the random draw and the call."""

    def draw(self, batch_size: int) -> Tuple[float, torch.Tensor]:
        """``lam`` from Beta(alpha, alpha) and a permutation of the batch,
        drawn as mmpretrain's Mixup and CutMix draw them."""
        return np.random.beta(self.alpha, self.alpha), torch.randperm(
            batch_size)

    def __call__(self, inputs, scores, targets=None) -> PartBatch:
        return self.mix(inputs, scores.float(), targets)


@BATCH_AUGMENTS.register_module()
class PartMixup(_PartMixMixin, Mixup):
    """Mixup of images, one-hot labels and part targets.

    The part maps cannot be blended as label maps, so the permuted partner's
    maps join the targets with coefficient ``1 - lam`` (the loss blends the
    two soft maps); sample weights mix with the same ``lam``.

    Args:
        alpha (float): Beta distribution parameter of ``lam``.
    """

    def mix(self, inputs: torch.Tensor, scores: torch.Tensor,
            targets: Optional[PartTargets] = None) -> PartBatch:
        """Mix a batch.

        Args:
            inputs (Tensor): ``(B, C, H, W)`` images.
            scores (Tensor): ``(B, num_classes)`` one-hot labels.
            targets (PartTargets, optional): Part targets.

        Returns:
            tuple: Mixed inputs, scores and part targets.
        """
        lam, index = self.draw(inputs.size(0))
        inputs = lam * inputs + (1 - lam) * inputs[index]
        scores = lam * scores + (1 - lam) * scores[index]
        if targets is not None:
            targets = PartTargets(
                maps=targets.maps + [m[index] for m in targets.maps],
                coeffs=[lam * c for c in targets.coeffs] +
                [(1 - lam) * c[index] for c in targets.coeffs],
                sample_weights=lam * targets.sample_weights +
                (1 - lam) * targets.sample_weights[index])
        return inputs, scores, targets


@BATCH_AUGMENTS.register_module()
class PartCutMix(_PartMixMixin, CutMix):
    """CutMix of images, one-hot labels and part targets.

    The box is pasted into the full-resolution part maps (which have the
    images' size) before any resizing; a sample whose pasted map has no
    part pixel (only background and ignored pixels) gets weight 0.

    Takes the arguments of mmpretrain's ``CutMix``.
    """

    def mix(self, inputs: torch.Tensor, scores: torch.Tensor,
            targets: Optional[PartTargets] = None) -> PartBatch:
        """Mix a batch.

        Args:
            inputs (Tensor): ``(B, C, H, W)`` images.
            scores (Tensor): ``(B, num_classes)`` one-hot labels.
            targets (PartTargets, optional): Part targets.

        Returns:
            tuple: Mixed inputs, scores and part targets.
        """
        lam, index = self.draw(inputs.size(0))
        (y1, y2, x1, x2), lam = self.cutmix_bbox_and_lam(
            inputs.shape[-2:], lam)
        inputs = inputs.clone()
        inputs[:, :, y1:y2, x1:x2] = inputs[index, :, y1:y2, x1:x2]
        scores = lam * scores + (1 - lam) * scores[index]
        if targets is not None:
            maps = []
            for part_map in targets.maps:
                if part_map.shape[-2:] != inputs.shape[-2:]:
                    raise ValueError(
                        f'part maps {tuple(part_map.shape[-2:])} and images '
                        f'{tuple(inputs.shape[-2:])} must have one size')
                part_map = part_map.clone()
                part_map[:, y1:y2, x1:x2] = part_map[index, y1:y2, x1:x2]
                maps.append(part_map)
            has_parts = torch.stack([has_part_pixels(m)
                                     for m in maps]).any(0)
            weights = lam * targets.sample_weights + \
                (1 - lam) * targets.sample_weights[index]
            targets = PartTargets(
                maps=maps,
                coeffs=targets.coeffs,
                sample_weights=weights * has_parts)
        return inputs, scores, targets


class PartRandomBatchAugment(RandomBatchAugment):
    """Pick one part-aware batch augment per batch, like mmpretrain's
    ``RandomBatchAugment`` (same ``augments`` and ``probs`` arguments)."""

    def __call__(self, inputs: torch.Tensor, scores: torch.Tensor,
                 targets: Optional[PartTargets] = None) -> PartBatch:
        aug = self.augments[np.random.choice(len(self.augments),
                                             p=self.probs)]
        if aug is None:
            return inputs, scores.float(), targets
        return aug(inputs, scores, targets)
