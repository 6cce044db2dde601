# Copyright (c) mmpart contributors. All rights reserved.
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule

from mmpart.registry import MODELS


@MODELS.register_module()
class PartMapConvNeck(BaseModule):
    """The small conv classifier body of the two-stage part model.

    The two-stage baseline of PartImageNet++ (Li et al., "PartImageNet++
    Dataset: Scaling up Part-based Models for Robust Recognition", ECCV
    2024) classifies an image from its predicted part map alone. This neck
    turns a part-probability map into features for a linear head: a 1x1
    conv-norm-activation to ``channels``, a 3x3 conv-norm-activation, then a
    global average pool.

    Args:
        in_channels (int): Channels of the part map: the part classes.
        channels (int): Width of the convs and of the output features.
            Defaults to 256.
        norm_cfg (dict): Norm after each conv. Defaults to BN.
        act_cfg (dict): Activation after each norm. Defaults to GELU.
        init_cfg (dict, optional): Initialisation config.

    Examples:
        >>> import torch
        >>> from mmpart.models import PartMapConvNeck
        >>> neck = PartMapConvNeck(in_channels=3311, channels=256)
        >>> feats, = neck(torch.rand(2, 3311, 7, 7).softmax(1))
        >>> feats.shape
        torch.Size([2, 256])
    """

    def __init__(self,
                 in_channels: int,
                 channels: int = 256,
                 norm_cfg: dict = dict(type='BN'),
                 act_cfg: dict = dict(type='GELU'),
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg)
        self.convs = nn.Sequential(
            ConvModule(
                in_channels,
                channels,
                1,
                norm_cfg=norm_cfg,
                act_cfg=act_cfg),
            ConvModule(
                channels,
                channels,
                3,
                padding=1,
                norm_cfg=norm_cfg,
                act_cfg=act_cfg))
        self.gap = nn.AdaptiveAvgPool2d(1)

    def forward(
        self, inputs: Union[torch.Tensor, Sequence[torch.Tensor]]
    ) -> Tuple[torch.Tensor]:
        """Features of a part map.

        Args:
            inputs (Tensor | Sequence[Tensor]): ``(B, in_channels, h, w)``
                part probabilities, or a sequence of maps (as a backbone's
                outputs) of which the last is used.

        Returns:
            tuple[Tensor]: ``(B, channels)`` features, as a 1-tuple (as
            mmpretrain necks return tuples).
        """
        part_map = inputs if isinstance(inputs, torch.Tensor) else inputs[-1]
        return (self.gap(self.convs(part_map)).flatten(1), )
