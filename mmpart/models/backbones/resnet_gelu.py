# Copyright (c) mmpart contributors. All rights reserved.
import torch.nn as nn
from mmpretrain.models.backbones import ResNet

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

    Takes the arguments of mmpretrain's ``ResNet``.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        replace_relu_with_gelu(self)
