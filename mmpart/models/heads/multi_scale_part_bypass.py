# Copyright (c) mmpart contributors. All rights reserved.
from typing import List, Optional, Sequence, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule, DepthwiseSeparableConvModule
from mmengine.model import BaseModule

from mmpart.registry import MODELS
from mmpart.structures import LazyPixelLogits


@MODELS.register_module()
class MultiScalePartBypass(BaseModule):
    """The training-only multi-scale part-segmentation bypass of MPM.

    MPM (Li et al., "PartImageNet++ Dataset: Scaling up Part-based Models
    for Robust Recognition", ECCV 2024) supervises a classifier's backbone
    stages with part maps through this bypass. From the last ``num_scales``
    backbone stages (coarsest first):

    - "compact" layers, a 1x1 conv (no bias) + norm and no activation,
      dividing the channels by ``compact_ratio``;
    - optionally a top-down path ``m[i+1] = upsample(up[i](m[i])) + c[i+1]``
      where ``up`` is an activation, then a separable 3x3 conv (depthwise
      3x3, pointwise 1x1, both bias-free) halving the channels, and the
      upsampling is bilinear;
    - one head per scale, the same activation + separable conv, giving part
      logits.

    With ResNet-50 stages 2-4 and 3311 part classes it has 4,523,520
    parameters. The layers are mmcv ``ConvModule`` /
    ``DepthwiseSeparableConvModule`` and keep mmcv's initialisation (Kaiming
    normal over the fan-out, as every mmcv-built head); on the toy recipe
    PyTorch's default conv init reaches the same part mIoU and accuracy.
    ``init_cfg`` (applied by ``init_weights``) overrides it.

    Args:
        in_channels (Sequence[int]): Channels of the backbone outputs it
            receives, finest first (ResNet-50 stages 2-4: 512, 1024, 2048).
        num_classes (int): Part classes, background included.
        num_scales (int): How many of the coarsest outputs get a head, 1 to
            ``len(in_channels)``. Defaults to 3.
        top_down (bool): Use the top-down path. Defaults to True.
        compact_ratio (int): Channel reduction of the compact layers.
            Defaults to 4.
        norm_cfg (dict): Norm of the compact layers. Defaults to BN.
        act_cfg (dict): Activation before each separable conv of the
            top-down path and the heads. Defaults to GELU.
        channels_last (bool): Run the top-down path and the heads in the
            channels-last memory format. Their 1x1 convs to thousands of
            part classes dominate the bypass's cost and run about 1.7x
            faster so on CPUs; results are the same. Defaults to True.
        init_cfg (dict, optional): Initialisation config.

    Examples:
        >>> import torch
        >>> from mmpart.models import MultiScalePartBypass
        >>> bypass = MultiScalePartBypass(num_classes=10)
        >>> feats = [torch.rand(1, 512, 28, 28), torch.rand(1, 1024, 14, 14),
        ...          torch.rand(1, 2048, 7, 7)]
        >>> [tuple(x.shape) for x in bypass(feats)]
        [(1, 10, 7, 7), (1, 10, 14, 14), (1, 10, 28, 28)]
    """

    def __init__(self,
                 in_channels: Sequence[int] = (512, 1024, 2048),
                 num_classes: int = 3311,
                 num_scales: int = 3,
                 top_down: bool = True,
                 compact_ratio: int = 4,
                 norm_cfg: dict = dict(type='BN'),
                 act_cfg: dict = dict(type='GELU'),
                 channels_last: bool = True,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg)
        self.channels_last = channels_last
        if not 1 <= num_scales <= len(in_channels):
            raise ValueError(f'num_scales must be 1 to {len(in_channels)}, '
                             f'got {num_scales}')
        self.num_classes = num_classes
        self.num_scales = num_scales
        self.top_down = top_down
        # Coarsest first: the order in which the top-down path runs.
        used = list(in_channels)[::-1][:num_scales]
        compact = [c // compact_ratio for c in used]
        if top_down and any(a != 2 * b for a, b in zip(compact, compact[1:])):
            raise ValueError(
                'the top-down path halves the channels from one scale to '
                f'the next; compact widths are {compact}')
        self.compact = nn.ModuleList(
            ConvModule(c_in, c_out, 1, norm_cfg=norm_cfg, act_cfg=None)
            for c_in, c_out in zip(used, compact))
        self.up = nn.ModuleList(
            self._separable_conv(c, c // 2, act_cfg)
            for c in compact[:-1]) if top_down else nn.ModuleList()
        self.heads = nn.ModuleList(
            self._separable_conv(c, num_classes, act_cfg) for c in compact)
        if channels_last:
            # Weights in the layout of their gradients, so DDP's gradient
            # buckets match them.
            self.up.to(memory_format=torch.channels_last)
            self.heads.to(memory_format=torch.channels_last)

    @staticmethod
    def _separable_conv(in_channels: int, out_channels: int,
                        act_cfg: dict) -> DepthwiseSeparableConvModule:
        """Activation, depthwise 3x3 conv, pointwise 1x1 conv; no bias.

        The activation is not in place: its input is also read by another
        branch (the head of the same scale, or the top-down path).
        """
        return DepthwiseSeparableConvModule(
            in_channels,
            out_channels,
            3,
            padding=1,
            bias=False,
            norm_cfg=None,
            act_cfg=act_cfg,
            pw_act_cfg=None,
            inplace=False,
            order=('act', 'conv', 'norm'))

    def forward(self,
                feats: Sequence[torch.Tensor],
                lazy: bool = False
                ) -> List[Union[torch.Tensor, LazyPixelLogits]]:
        """Part logits from backbone features.

        Args:
            feats (Sequence[Tensor]): Backbone outputs, finest first.
            lazy (bool): Stop before each head's last 1x1 conv (to the
                part classes) and return its input and weights, for
                :class:`~mmpart.models.losses.SoftFocalPartLoss` to fuse
                into the loss: the ``(B, num_classes, H_s, W_s)`` logits
                are then never held whole. Defaults to False.

        Returns:
            list[Tensor | LazyPixelLogits]: Part logits per scale, coarsest
            first, each ``(B, num_classes, H_s, W_s)``.
        """
        coarse_first = list(feats)[::-1][:self.num_scales]
        compact = [m(x) for m, x in zip(self.compact, coarse_first)]
        if self.channels_last:
            # After the compact BN, whose CPU backward is slow in this
            # layout; the convs that follow are the costly part.
            compact = [
                x.contiguous(memory_format=torch.channels_last)
                for x in compact
            ]
        merged = [compact[0]]
        for i in range(1, self.num_scales):
            if self.top_down:
                up = F.interpolate(
                    self.up[i - 1](merged[-1]),
                    size=compact[i].shape[-2:],
                    mode='bilinear',
                    align_corners=False)
                merged.append(up + compact[i])
            else:
                merged.append(compact[i])
        if not lazy:
            return [head(m) for head, m in zip(self.heads, merged)]
        return [
            LazyPixelLogits(head.depthwise_conv(m),
                            head.pointwise_conv.conv.weight[:, :, 0, 0])
            for head, m in zip(self.heads, merged)
        ]
