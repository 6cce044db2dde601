# Copyright (c) mmpart contributors. All rights reserved.
from typing import NamedTuple, Optional, Tuple

import torch
import torch.nn.functional as F


class LazyPixelLogits(NamedTuple):
    """The logits of a 1x1 classifier over feature maps, not yet computed.

    A many-class head (e.g. MPM's part bypass at 3311 part classes) hands
    its loss the classifier's input and weights instead of its output, so
    the loss can compute the logits chunk by chunk and never hold all of
    them (see :func:`mmpart.models.losses.sparse_soft_target_ce`).

    Attributes:
        features (Tensor): ``(B, D, H, W)`` classifier inputs.
        weight (Tensor): ``(C, D)`` classifier weights.
        bias (Tensor, optional): ``(C, )`` classifier bias.
    """
    features: torch.Tensor
    weight: torch.Tensor
    bias: Optional[torch.Tensor] = None

    @property
    def shape(self) -> Tuple[int, int, int, int]:
        """The ``(B, C, H, W)`` shape of the logits."""
        b, _, h, w = self.features.shape
        return (b, self.weight.shape[0], h, w)

    def materialize(self) -> torch.Tensor:
        """The ``(B, C, H, W)`` logits themselves (for checks and
        analysis)."""
        return F.conv2d(self.features, self.weight[:, :, None, None],
                        self.bias)
