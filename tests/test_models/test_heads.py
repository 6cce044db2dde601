# Copyright (c) mmpart contributors. All rights reserved.
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule, DepthwiseSeparableConvModule

from mmpart.models import MultiScalePartBypass
from mmpart.registry import MODELS


def _feats(batch=2, widths=(32, 64, 128), size=16, seed=0):
    g = torch.Generator().manual_seed(seed)
    return [
        torch.randn(batch, c, size >> i, size >> i, generator=g)
        for i, c in enumerate(widths)
    ]


def _separable(block, x, act):
    """act -> depthwise 3x3 -> pointwise 1x1, from the block's weights."""
    dw = block.depthwise_conv.conv.weight
    x = F.conv2d(act(x), dw, padding=1, groups=dw.shape[0])
    return F.conv2d(x, block.pointwise_conv.conv.weight)


def _reference(bypass, feats, act):
    """The bypass computed with functional ops (BN in eval mode)."""
    compact = []
    for layer, x in zip(bypass.compact, feats[::-1][:bypass.num_scales]):
        bn = layer.bn
        compact.append(
            F.batch_norm(
                F.conv2d(x, layer.conv.weight), bn.running_mean,
                bn.running_var, bn.weight, bn.bias, eps=bn.eps))
    merged = [compact[0]]
    for i in range(1, len(compact)):
        if bypass.top_down:
            up = _separable(bypass.up[i - 1], merged[-1], act)
            up = F.interpolate(up, size=compact[i].shape[-2:],
                               mode='bilinear', align_corners=False)
            merged.append(up + compact[i])
        else:
            merged.append(compact[i])
    return [_separable(h, m, act) for h, m in zip(bypass.heads, merged)]


def _randomise_bn(module):
    for m in module.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.5, 0.5)


@pytest.mark.parametrize('num_scales', [1, 2, 3])
@pytest.mark.parametrize('top_down', [True, False])
def test_bypass_shapes_and_computation(num_scales, top_down):
    torch.manual_seed(0)
    bypass = MultiScalePartBypass(in_channels=(32, 64, 128), num_classes=7,
                                  num_scales=num_scales, top_down=top_down)
    _randomise_bn(bypass)
    bypass.eval()
    feats = _feats()
    with torch.no_grad():
        outs = bypass(feats)
        refs = _reference(bypass, feats, F.gelu)
    assert [tuple(o.shape) for o in outs] == [
        (2, 7, 4, 4), (2, 7, 8, 8), (2, 7, 16, 16)][:num_scales]
    for out, ref in zip(outs, refs):
        assert torch.allclose(out, ref, rtol=0, atol=1e-5)
    assert len(bypass.up) == (num_scales - 1 if top_down else 0)


def test_bypass_is_built_from_mmcv_modules():
    bypass = MultiScalePartBypass(in_channels=(32, 64, 128), num_classes=7)
    assert all(type(m) is ConvModule for m in bypass.compact)
    assert all(m.with_norm and not m.with_activation and not m.with_bias
               for m in bypass.compact)
    for block in list(bypass.up) + list(bypass.heads):
        assert isinstance(block, DepthwiseSeparableConvModule)
        dw, pw = block.depthwise_conv, block.pointwise_conv
        assert dw.order[0] == 'act' and isinstance(dw.activate, nn.GELU)
        assert dw.groups == dw.in_channels and dw.kernel_size == (3, 3)
        assert not pw.with_activation and pw.kernel_size == (1, 1)
        assert not any(m.with_norm or m.with_bias for m in (dw, pw))
    # The converter of official checkpoints matches modules by the shapes
    # of their tensors, in order.
    shapes = [(k, tuple(v.shape)) for k, v in bypass.state_dict().items()
              if k.startswith(('compact.2.', 'heads.2.'))]
    assert shapes == [
        ('compact.2.conv.weight', (8, 32, 1, 1)),
        ('compact.2.bn.weight', (8, )), ('compact.2.bn.bias', (8, )),
        ('compact.2.bn.running_mean', (8, )),
        ('compact.2.bn.running_var', (8, )),
        ('compact.2.bn.num_batches_tracked', ()),
        ('heads.2.depthwise_conv.conv.weight', (8, 1, 3, 3)),
        ('heads.2.pointwise_conv.conv.weight', (7, 8, 1, 1)),
    ]


def test_bypass_parameter_count_and_top_down_effect():
    bypass = MODELS.build(dict(type='MultiScalePartBypass'))  # ResNet-50
    # 4.52 M at 3311 part classes (the paper's "~4.5 M").
    assert sum(p.numel() for p in bypass.parameters()) == 4_523_520
    bypass.eval()
    feats = [torch.randn(1, 512, 28, 28), torch.randn(1, 1024, 14, 14),
             torch.randn(1, 2048, 7, 7)]
    with torch.no_grad():
        outs = bypass(feats)
        assert [tuple(o.shape[-2:]) for o in outs] == [(7, 7), (14, 14),
                                                       (28, 28)]
        assert all(o.shape[1] == 3311 for o in outs)
        # The top-down path carries stage-4 information to the finest scale.
        feats[2] = torch.randn(1, 2048, 7, 7)
        assert not torch.allclose(bypass(feats)[-1], outs[-1])
    with pytest.raises(ValueError, match='num_scales'):
        MultiScalePartBypass(num_scales=4)
    with pytest.raises(ValueError, match='halves the channels'):
        MultiScalePartBypass(in_channels=(512, 512, 2048))


def test_bypass_act_cfg_is_honoured_and_not_in_place():
    torch.manual_seed(0)
    bypass = MultiScalePartBypass(
        in_channels=(32, 64, 128), num_classes=7,
        act_cfg=dict(type='LeakyReLU', negative_slope=0.1))
    acts = [m for m in bypass.modules()
            if isinstance(m, (nn.LeakyReLU, nn.GELU))]
    assert len(acts) == 5 and all(type(m) is nn.LeakyReLU for m in acts)
    # The activation's input also feeds the other branch (head or
    # top-down): in place, a second activation would be applied to it.
    assert not any(m.inplace for m in acts)
    _randomise_bn(bypass)
    bypass.eval()
    feats = _feats()
    with torch.no_grad():
        outs = bypass(feats)
        leaky_ref = _reference(bypass, feats,
                               lambda x: F.leaky_relu(x, 0.1))
        gelu_ref = _reference(bypass, feats, F.gelu)
    for out, ref, other in zip(outs, leaky_ref, gelu_ref):
        assert torch.allclose(out, ref, rtol=0, atol=1e-5)
        assert not torch.allclose(out, other, rtol=0, atol=1e-3)


def test_bypass_channels_last_gives_the_same_result():
    torch.manual_seed(0)
    fast = MultiScalePartBypass(in_channels=(32, 64, 128), num_classes=7)
    plain = MultiScalePartBypass(in_channels=(32, 64, 128), num_classes=7,
                                 channels_last=False)
    plain.load_state_dict(fast.state_dict())
    pw = fast.heads[0].pointwise_conv.conv.weight
    assert pw.is_contiguous(memory_format=torch.channels_last)
    feats = _feats()
    outs = fast(feats)
    assert outs[-1].is_contiguous(memory_format=torch.channels_last)
    for a, b in zip(outs, plain(feats)):
        assert torch.allclose(a, b, rtol=0, atol=1e-5)


def test_bypass_init_is_mmcv_and_init_cfg_overrides_it():
    torch.manual_seed(0)
    bypass = MultiScalePartBypass(in_channels=(256, 512, 1024),
                                  num_classes=512)
    # mmcv's ConvModule init: Kaiming normal over the fan-out.
    pw = bypass.heads[0].pointwise_conv.conv.weight
    assert pw.std().item() == pytest.approx((2 / 512)**0.5, rel=0.02)
    bypass = MultiScalePartBypass(
        in_channels=(256, 512, 1024), num_classes=512,
        init_cfg=dict(type='Normal', std=0.5, layer='Conv2d'))
    bypass.init_weights()
    pw = bypass.heads[0].pointwise_conv.conv.weight
    assert pw.std().item() == pytest.approx(0.5, rel=0.02)
    assert pw.is_contiguous(memory_format=torch.channels_last)


def test_lazy_bypass_gives_the_classifier_of_its_logits():
    """``lazy=True`` stops before each head's 1x1 conv to the part classes:
    materialised, those are the logits of the eager forward."""
    from mmpart.models import MultiScalePartBypass
    torch.manual_seed(0)
    bypass = MultiScalePartBypass(
        in_channels=(32, 64, 128), num_classes=11).eval()
    feats = [torch.randn(2, c, s, s) for c, s in ((32, 8), (64, 4),
                                                  (128, 2))]
    with torch.no_grad():
        eager = bypass(feats)
        lazy = bypass(feats, lazy=True)
    for logits, classifier in zip(eager, lazy):
        assert classifier.shape == tuple(logits.shape)
        assert torch.allclose(classifier.materialize(), logits, atol=1e-6)
