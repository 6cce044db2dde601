# Copyright (c) mmpart contributors. All rights reserved.
import torch.nn as nn
from mmpretrain.models.backbones import ResNet
from torch.nn.modules.batchnorm import _BatchNorm

from mmpart.registry import MODELS


def replace_relu_with_gelu(module: nn.Module) -> int:
    """Swap every ``nn.ReLU`` inside ``module`` for an ``nn.GELU``.

    Args:
        module (nn.Module): Changed in place.

    Returns:
        int: How many activations were replaced.
    """
    replaced = 0
    for name, child in module.named_children():
        if isinstance(child, nn.ReLU):
            setattr(module, name, nn.GELU())
            replaced += 1
        else:
            replaced += replace_relu_with_gelu(child)
    return replaced


@MODELS.register_module()
class ResNetGELU(ResNet):
    """mmpretrain's ResNet with every ReLU replaced by GELU.

    MPM's reference backbone ("V2" recipe): the same layers and parameter
    names as torchvision's ResNet, so torchvision ImageNet weights load as
    they are (``init_cfg=dict(type='Pretrained',
    checkpoint='torchvision://resnet50')``).

    Args:
        frozen_norm_eval (bool): Whether the BN layers of the
            ``frozen_stages`` are put in eval mode, as mmpretrain's ResNet
            does. False keeps them training (batch statistics, running
            statistics updated; their affine parameters stay frozen) unless
            ``norm_eval``: the official MPM stage 1, which only sets
            ``requires_grad=False`` on the backbone and trains in
            ``model.train()``, so the BN statistics of the torchvision
            (ReLU) weights adapt to the GELU activations. Defaults to True.
        **kwargs: The arguments of mmpretrain's ``ResNet``.
    """

    def __init__(self, *args, frozen_norm_eval: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.frozen_norm_eval = frozen_norm_eval
        replace_relu_with_gelu(self)

    def train(self, mode: bool = True) -> 'ResNetGELU':
        """Set the training mode (see ``frozen_norm_eval``).

        Args:
            mode (bool): Training (True) or eval mode.

        Returns:
            ResNetGELU: Itself.
        """
        super().train(mode)
        if mode and not self.frozen_norm_eval and not self.norm_eval:
            for module in self.modules():
                if isinstance(module, _BatchNorm):
                    module.train()
        return self
