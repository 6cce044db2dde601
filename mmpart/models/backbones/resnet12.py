# Copyright (c) mmpart contributors. All rights reserved.
from typing import Sequence, Tuple

import torch
import torch.nn as nn
from mmcv.cnn import build_conv_layer, build_norm_layer
from mmpretrain.models.backbones.base_backbone import BaseBackbone

from mmpart.registry import MODELS


class ResNet12Block(nn.Module):
    """One ResNet-12 stage: three 3x3 conv-BN layers with LeakyReLU (0.1)
    between them, a 1x1 conv-BN shortcut, LeakyReLU after the sum, then a
    2x2 max pool.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        norm_cfg (dict): Normalisation layer.
        slope (float): LeakyReLU negative slope.
    """

    def __init__(self, in_channels: int, out_channels: int, norm_cfg: dict,
                 slope: float):
        super().__init__()
        layers = []
        for i in range(3):
            layers.append(
                build_conv_layer(
                    None, in_channels if i == 0 else out_channels,
                    out_channels, 3, padding=1, bias=False))
            layers.append(build_norm_layer(norm_cfg, out_channels)[1])
            if i < 2:
                layers.append(nn.LeakyReLU(slope))
        self.body = nn.Sequential(*layers)
        self.shortcut = nn.Sequential(
            build_conv_layer(None, in_channels, out_channels, 1, bias=False),
            build_norm_layer(norm_cfg, out_channels)[1])
        self.activation = nn.LeakyReLU(slope)
        self.pool = nn.MaxPool2d(2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pool(self.activation(self.body(x) + self.shortcut(x)))


@MODELS.register_module()
class ResNet12(BaseBackbone):
    """ResNet-12, the few-shot learning backbone (MetaBaseline, DeepEMD).

    Four :class:`ResNet12Block` stages without a stem, each halving the
    resolution: an 84 px image gives 42, 21, 10 and 5 px maps, an 80 px one
    40, 20, 10 and 5. The usual widths are (64, 160, 320, 640) (DeepEMD, and
    MetaBaseline's ``resnet12-wide``) or (64, 128, 256, 512) (MetaBaseline's
    ``resnet12``, which the PIN++ official few-shot configs use). With either,
    the layers are the official ones: bias-free convs, BN, LeakyReLU(0.1),
    and a 1x1 conv-BN shortcut in every stage. The official model initialises
    the convs by Kaiming with the gain of a ReLU (slope 0); the default here
    uses the gain of the 0.1 slope, 0.5 % smaller.

    Args:
        channels (Sequence[int]): Output channels of the four stages.
            Defaults to (64, 160, 320, 640).
        in_channels (int): Input channels. Defaults to 3.
        out_indices (Sequence[int]): Stages whose outputs are returned.
            Defaults to (3, ).
        norm_cfg (dict): Normalisation layer. Defaults to BN.
        slope (float): LeakyReLU negative slope. Defaults to 0.1.
        init_cfg (dict | list[dict], optional): Initialisation. Defaults to
            Kaiming for convs and constant for norms.
    """

    def __init__(self,
                 channels: Sequence[int] = (64, 160, 320, 640),
                 in_channels: int = 3,
                 out_indices: Sequence[int] = (3, ),
                 norm_cfg: dict = dict(type='BN'),
                 slope: float = 0.1,
                 init_cfg=[
                     dict(type='Kaiming', layer='Conv2d',
                          nonlinearity='leaky_relu', a=0.1),
                     dict(type='Constant', val=1, layer='_BatchNorm')
                 ]):
        super().__init__(init_cfg=init_cfg)
        if len(channels) != 4:
            raise ValueError(f'ResNet-12 has 4 stages, got channels '
                             f'{channels}')
        for index in out_indices:
            if not 0 <= index < 4:
                raise ValueError(f'out_indices must be in [0, 4), got '
                                 f'{out_indices}')
        self.out_indices = tuple(out_indices)
        self.channels = tuple(channels)
        stages = []
        for out_channels in channels:
            stages.append(
                ResNet12Block(in_channels, out_channels, norm_cfg, slope))
            in_channels = out_channels
        self.stages = nn.ModuleList(stages)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        outs = []
        for index, stage in enumerate(self.stages):
            x = stage(x)
            if index in self.out_indices:
                outs.append(x)
        return tuple(outs)
