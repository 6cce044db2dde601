# Copyright (c) mmpart contributors. All rights reserved.
from typing import Sequence, Tuple

import torch
import torch.nn as nn
from mmcv.cnn import build_conv_layer, build_norm_layer
from mmpretrain.models.backbones.base_backbone import BaseBackbone

from mmpart.registry import MODELS


@MODELS.register_module()
class ConvMLPEncoder(BaseBackbone):
    """A small CNN whose flattened map goes through an MLP: the object-crop
    encoder of the official part-aware MetaBaseline of PartImageNet++ (Li et
    al., "PartImageNet++ Dataset: Scaling up Part-based Models for Robust
    Recognition", ECCV 2024; ``Benchmark/fewshot/metabaseline``).

    Each stage is ``convs_per_stage`` 3x3 conv (with bias)-BN-ReLU layers and
    a 2x2 max pool. The last map is flattened, not pooled, so the first
    linear layer fixes the input size: ``input_size`` must be the size the
    crops are resized to. Between the linear layers are ReLU and dropout;
    the last layer is plain. The defaults are the official ones: stages of
    64 and 128 channels, two convs each, 80 px crops (128 x 20 x 20 = 51200
    inputs to the MLP), linear layers of 256, 256 and 512 outputs, dropout
    0.5. The 512 outputs match the ResNet-12 features (64-128-256-512) they
    are mixed with.

    Args:
        in_channels (int): Input channels. Defaults to 3.
        channels (Sequence[int]): Output channels of the stages. Defaults to
            (64, 128).
        convs_per_stage (int): Conv layers a stage. Defaults to 2.
        input_size (int): Height and width of the inputs. Defaults to 80.
        mlp_channels (Sequence[int]): Outputs of the linear layers, the last
            the feature size. Defaults to (256, 256, 512).
        dropout (float): Dropout before each linear layer but the first.
            Defaults to 0.5.
        norm_cfg (dict): Normalisation layer. Defaults to BN.
        init_cfg (dict | list[dict], optional): Initialisation. Defaults to
            Kaiming (fan-out, normal) convs and norms of weight 1 and bias
            0, as the official model (whose conv biases keep PyTorch's
            default, here 0); the linear layers keep PyTorch's default, as
            there.

    Examples:
        >>> import torch
        >>> from mmpart.registry import MODELS
        >>> encoder = MODELS.build(dict(type='ConvMLPEncoder'))
        >>> encoder(torch.randn(2, 3, 80, 80))[0].shape
        torch.Size([2, 512])
    """

    def __init__(self,
                 in_channels: int = 3,
                 channels: Sequence[int] = (64, 128),
                 convs_per_stage: int = 2,
                 input_size: int = 80,
                 mlp_channels: Sequence[int] = (256, 256, 512),
                 dropout: float = 0.5,
                 norm_cfg: dict = dict(type='BN'),
                 init_cfg=[
                     dict(type='Kaiming', layer='Conv2d'),
                     dict(type='Constant', val=1, layer='_BatchNorm')
                 ]):
        super().__init__(init_cfg=init_cfg)
        map_size = input_size // 2**len(channels)
        if map_size < 1:
            raise ValueError(f'{len(channels)} stages halve {input_size} px '
                             f'inputs to nothing')
        layers = []
        for out_channels in channels:
            for _ in range(convs_per_stage):
                layers += [
                    build_conv_layer(
                        None, in_channels, out_channels, 3, padding=1),
                    build_norm_layer(norm_cfg, out_channels)[1],
                    nn.ReLU()
                ]
                in_channels = out_channels
            layers.append(nn.MaxPool2d(2))
        self.convs = nn.Sequential(*layers)
        self.input_size = input_size
        in_features = in_channels * map_size**2
        mlp = []
        for index, out_features in enumerate(mlp_channels):
            if index > 0:
                mlp += [nn.ReLU(), nn.Dropout(dropout)]
            mlp.append(nn.Linear(in_features, out_features))
            in_features = out_features
        self.mlp = nn.Sequential(*mlp)
        self.out_channels = in_features

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor]:
        """The feature of each input.

        Args:
            x (torch.Tensor): (B, C, input_size, input_size).

        Returns:
            tuple[torch.Tensor]: One (B, mlp_channels[-1]) tensor, a tuple as
            backbones return.

        Raises:
            ValueError: On inputs of another size, which the MLP cannot
                take.
        """
        if tuple(x.shape[-2:]) != (self.input_size, self.input_size):
            raise ValueError(
                f'ConvMLPEncoder flattens its map into a fixed MLP: inputs '
                f'must be {self.input_size} x {self.input_size}, got '
                f'{tuple(x.shape[-2:])}')
        return (self.mlp(self.convs(x).flatten(1)), )
