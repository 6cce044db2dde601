# Copyright (c) mmpart contributors. All rights reserved.
import pytest
import torch
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


def test_resnet12_stages_and_outputs():
    backbone = MODELS.build(
        dict(type='ResNet12', channels=(8, 16, 32, 64),
             out_indices=(1, 3)))
    backbone.init_weights()
    outs = backbone(torch.randn(2, 3, 84, 84))
    # No stem: each stage halves the size (84 -> 42 -> 21 -> 10 -> 5).
    assert [tuple(o.shape) for o in outs] == [(2, 16, 21, 21), (2, 64, 5, 5)]
    # Three 3x3 convs and a 1x1 shortcut a stage.
    convs = [m for m in backbone.modules() if isinstance(m, nn.Conv2d)]
    assert len(convs) == 16
    assert all(m.kernel_size in ((3, 3), (1, 1)) for m in convs)
    with pytest.raises(ValueError, match='4 stages'):
        MODELS.build(dict(type='ResNet12', channels=(8, 16, 32)))
    with pytest.raises(ValueError, match='out_indices'):
        MODELS.build(dict(type='ResNet12', out_indices=(4, )))


@pytest.mark.parametrize('frozen_norm_eval', [True, False])
def test_resnet_gelu_frozen_stages_norm_mode(frozen_norm_eval):
    backbone = MODELS.build(
        dict(
            type='ResNetGELU',
            depth=18,
            stem_channels=8,
            base_channels=8,
            frozen_stages=4,
            frozen_norm_eval=frozen_norm_eval)).train()
    assert not any(p.requires_grad for p in backbone.parameters())
    norms = [m for m in backbone.modules() if isinstance(m, nn.BatchNorm2d)]
    assert all(m.training != frozen_norm_eval for m in norms)
    before = norms[0].running_mean.clone()
    backbone(torch.randn(2, 3, 32, 32) + 3)
    # Training BN layers move their running statistics; eval ones do not.
    assert torch.equal(norms[0].running_mean, before) == frozen_norm_eval
    # norm_eval still puts every BN layer in eval mode.
    backbone.norm_eval = True
    assert not any(m.training for m in backbone.train().modules()
                   if isinstance(m, nn.BatchNorm2d))
