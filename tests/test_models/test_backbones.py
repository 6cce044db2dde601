# Copyright (c) mmpart contributors. All rights reserved.
import torch.nn as nn
import torchvision

from mmpart.registry import MODELS


def test_resnet_gelu_matches_torchvision_layout():
    backbone = MODELS.build(dict(type='ResNetGELU', depth=50))
    assert not any(isinstance(m, nn.ReLU) for m in backbone.modules())
    # One activation module in the stem and per block (each block applies
    # its own three times, like torchvision's).
    assert sum(isinstance(m, nn.GELU) for m in backbone.modules()) == 17
    tv = torchvision.models.resnet50(weights=None).state_dict()
    tv = {k: v for k, v in tv.items() if not k.startswith('fc.')}
    missing, unexpected = backbone.load_state_dict(tv, strict=False)
    assert not missing and not unexpected
