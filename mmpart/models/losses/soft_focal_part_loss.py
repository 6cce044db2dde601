# Copyright (c) mmpart contributors. All rights reserved.
from typing import Sequence, Tuple

import torch
import torch.nn as nn

from mmpart.registry import MODELS
from mmpart.structures import PartTargets
from ..utils.label_maps import bilinear_taps, resize_label_map


class SparseSoftTargetCE(torch.autograd.Function):
    """Per-pixel cross-entropy against a smoothed sparse soft target.

    ``ce = (1 - eps) * (lse(z) - sum_k w_k z[l_k]) + eps * (lse(z) -
    mean_c z_c)`` for ``z`` of shape ``(B, C, P)``, labels ``l`` and weights
    ``w`` of shape ``(B, K, P)`` with ``sum_k w_k = 1``. Autograd through
    ``logsumexp``, ``gather`` and ``mean`` makes several dense ``(B, C, P)``
    temporaries; this keeps one, the softmax, and turns it into the gradient
    in place: ``softmax - eps / C - (1 - eps) * sum_k w_k onehot(l_k)``.
    """

    @staticmethod
    def forward(ctx, z, index, weight, eps: float):
        num_classes = z.shape[1]
        top = z.amax(dim=1, keepdim=True)
        probs = torch.sub(z, top).exp_()
        total = probs.sum(dim=1, keepdim=True)
        lse = (top + total.log()).squeeze(1)
        target_logit = (weight * z.gather(1, index)).sum(1)
        ce = (1 - eps) * (lse - target_logit) + eps * (lse - z.mean(1))
        ctx.save_for_backward(probs.div_(total), index, weight)
        ctx.eps, ctx.num_classes = eps, num_classes
        return ce

    @staticmethod
    def backward(ctx, grad_ce):
        probs, index, weight = ctx.saved_tensors
        eps = ctx.eps
        grad = probs.sub_(eps / ctx.num_classes).mul_(grad_ce[:, None])
        grad.scatter_add_(1, index,
                          (-(1 - eps) * weight) * grad_ce[:, None])
        return grad, None, None, None


@MODELS.register_module()
class SoftFocalPartLoss(nn.Module):
    """MPM's multi-scale soft focal loss, computed from label indices.

    The reference formulation (``DESIGN.md``): the part map, nearest-resized
    to ``target_size``, one-hot with label smoothing (off value
    ``label_smoothing / C``), bilinearly downsampled to each coarser scale
    (Mixup blends two such maps); per pixel ``ce`` = soft-target
    cross-entropy, ``p = exp(-ce)``, ``loss = (1 - p)^gamma * ce``; times a
    per-sample weight, mean over pixels, then mean over scales.

    Here no one-hot of the C classes is built. With ``T = (1 - eps) * sum_k
    w_k onehot(l_k) + eps / C``, where the ``(w_k, l_k)`` are the few labels
    a bilinear resize mixes at a pixel, ``ce = (1 - eps) * (lse(z) - sum_k
    w_k z_{l_k}) + eps * (lse(z) - mean_c z_c)``: a log-sum-exp, a gather of
    K labels and a mean over classes.

    Args:
        gamma (float): Focusing parameter. Defaults to 2.
        label_smoothing (float): ``eps``. Defaults to 0.1.
        target_size (tuple[int, int]): Size the map is first resized to
            (nearest). Defaults to (28, 28).
        loss_weight (float): Multiplier of the result. Defaults to 1.
    """

    def __init__(self,
                 gamma: float = 2.0,
                 label_smoothing: float = 0.1,
                 target_size: Tuple[int, int] = (28, 28),
                 loss_weight: float = 1.0):
        super().__init__()
        self.gamma = gamma
        self.label_smoothing = label_smoothing
        self.target_size = tuple(target_size)
        self.loss_weight = loss_weight

    def scale_loss(self, logits: torch.Tensor, labels: Sequence[torch.Tensor],
                   targets: PartTargets) -> torch.Tensor:
        """The loss at one scale.

        Args:
            logits (Tensor): ``(B, C, h, w)`` part logits.
            labels (Sequence[Tensor]): ``(B, *target_size)`` label maps, one
                per mixed map.
            targets (PartTargets): Coefficients and sample weights.

        Returns:
            Tensor: Scalar loss.
        """
        batch, num_classes = logits.shape[:2]
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
        return (focal * targets.sample_weights[:, None]).mean()

    def forward(self, part_logits: Sequence[torch.Tensor],
                targets: PartTargets) -> torch.Tensor:
        """Mean of the per-scale losses, times ``loss_weight``.

        Args:
            part_logits (Sequence[Tensor]): Logits per scale.
            targets (PartTargets): The batch's part targets.

        Returns:
            Tensor: Scalar loss.
        """
        labels = [resize_label_map(m, self.target_size) for m in targets.maps]
        losses = [self.scale_loss(x, labels, targets) for x in part_logits]
        return self.loss_weight * torch.stack(losses).mean()
