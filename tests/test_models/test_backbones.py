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


def _official_resnet12_parameters(widths):
    """The parameter count of the official ResNet-12 (MetaBaseline's
    ``models/resnet12.py``), stage by stage: three bias-free 3x3 convs, a
    bias-free 1x1 shortcut conv and four BN layers (weight and bias)."""
    total, in_channels = 0, 3
    for width in widths:
        convs = 9 * in_channels * width + 2 * 9 * width * width
        shortcut = in_channels * width
        total += convs + shortcut + 4 * 2 * width
        in_channels = width
    return total


def test_resnet12_official_metabaseline_widths():
    """ResNet-12 at MetaBaseline's widths is the official network: the
    parameter count, the 80 px output, and the order of its layers."""
    backbone = MODELS.build(
        dict(type='ResNet12', channels=(64, 128, 256, 512)))
    backbone.init_weights()
    expected = _official_resnet12_parameters((64, 128, 256, 512))
    assert expected == 7_996_800
    assert sum(p.numel() for p in backbone.parameters()) == expected
    assert not any(m.bias is not None for m in backbone.modules()
                   if isinstance(m, nn.Conv2d))
    torch.manual_seed(0)
    for m in backbone.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.normal_()
            m.running_var.uniform_(0.5, 2)
            m.bias.data.normal_()
    backbone.eval()
    x = torch.randn(2, 3, 80, 80)
    out = backbone(x)[-1]
    assert out.shape == (2, 512, 5, 5)

    # The official block, composed from the same layers.
    def official_block(stage, x):
        conv1, bn1, _, conv2, bn2, _, conv3, bn3 = stage.body
        act = nn.LeakyReLU(0.1)
        y = act(bn1(conv1(x)))
        y = act(bn2(conv2(y)))
        y = bn3(conv3(y)) + stage.shortcut[1](stage.shortcut[0](x))
        return nn.functional.max_pool2d(act(y), 2)

    with torch.no_grad():
        expected_out = x
        for stage in backbone.stages:
            expected_out = official_block(stage, expected_out)
        assert torch.allclose(out, expected_out, atol=1e-5)


def test_conv_mlp_encoder_is_official_crop_encoder():
    """The defaults are the official part-aware model's crop CNN."""
    encoder = MODELS.build(dict(type='ConvMLPEncoder'))
    encoder.init_weights()
    encoder.eval()
    # Convs with bias and BN: 3-64, 64-64 | 64-128, 128-128.
    convs = sum(9 * i * o + o + 2 * o
                for i, o in [(3, 64), (64, 64), (64, 128), (128, 128)])
    # 80 px halved twice: 128 x 20 x 20 inputs to the MLP.
    mlp = sum(i * o + o
              for i, o in [(128 * 20 * 20, 256), (256, 256), (256, 512)])
    assert convs + mlp == 13_565_760
    assert sum(p.numel() for p in encoder.parameters()) == convs + mlp
    assert encoder.out_channels == 512
    assert [type(m) for m in encoder.mlp] == [
        nn.Linear, nn.ReLU, nn.Dropout, nn.Linear, nn.ReLU, nn.Dropout,
        nn.Linear
    ]
    # Two conv-BN-ReLU layers and a max pool a stage.
    assert [type(m) for m in encoder.convs] == 2 * (
        2 * [nn.Conv2d, nn.BatchNorm2d, nn.ReLU] + [nn.MaxPool2d])
    assert all(m.bias is not None for m in encoder.convs
               if isinstance(m, nn.Conv2d))
    x = torch.randn(2, 3, 80, 80)
    with torch.no_grad():
        out = encoder(x)
        assert len(out) == 1 and out[0].shape == (2, 512)
        # Dropout acts in training mode only.
        assert torch.equal(encoder(x)[0], out[0])
        encoder.train()
        assert not torch.equal(encoder(x)[0], out[0])
    with pytest.raises(ValueError, match='must be 80 x 80'):
        encoder(torch.randn(2, 3, 84, 84))
    with pytest.raises(ValueError, match='to nothing'):
        MODELS.build(dict(type='ConvMLPEncoder', input_size=2))


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
