# Copyright (c) mmpart contributors. All rights reserved.
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule

from mmpart.models import PartMapConvNeck
from mmpart.registry import MODELS


def _reference(neck, x, act):
    """The neck computed with functional ops (BN in eval mode)."""
    for layer in neck.convs:
        bn = layer.bn
        x = F.conv2d(x, layer.conv.weight, padding=layer.padding)
        x = act(F.batch_norm(x, bn.running_mean, bn.running_var, bn.weight,
                             bn.bias, eps=bn.eps))
    return x.mean((2, 3))


def _randomised(neck):
    for m in neck.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.5, 0.5)
    return neck.eval()


def test_neck_defaults_and_computation():
    torch.manual_seed(0)
    neck = _randomised(
        MODELS.build(dict(type='PartMapConvNeck', in_channels=6)))
    assert [type(m) for m in neck.convs] == [ConvModule, ConvModule]
    assert [m.kernel_size for m in neck.convs] == [(1, 1), (3, 3)]
    assert all(m.out_channels == 256 and not m.with_bias and
               isinstance(m.bn, nn.BatchNorm2d) and
               isinstance(m.activate, nn.GELU) for m in neck.convs)
    probs = torch.randn(2, 6, 7, 7).softmax(1)
    with torch.no_grad():
        out = neck(probs)
        ref = _reference(neck, probs, F.gelu)
    assert isinstance(out, tuple) and len(out) == 1
    assert out[0].shape == (2, 256)
    assert torch.allclose(out[0], ref, rtol=0, atol=1e-5)
    # A sequence of maps (as a backbone's outputs): the last one is used.
    with torch.no_grad():
        from_sequence = neck((torch.zeros(2, 6, 3, 3), probs))
    assert torch.equal(from_sequence[0], out[0])


def test_neck_channels_and_act_cfg():
    torch.manual_seed(0)
    neck = _randomised(
        PartMapConvNeck(in_channels=6, channels=16,
                        act_cfg=dict(type='ReLU')))
    assert all(isinstance(m.activate, nn.ReLU) for m in neck.convs)
    probs = torch.randn(3, 6, 7, 7).softmax(1)
    with torch.no_grad():
        out, = neck(probs)
        assert out.shape == (3, 16)
        assert torch.allclose(out, _reference(neck, probs, F.relu), rtol=0,
                              atol=1e-5)
        assert not torch.allclose(out, _reference(neck, probs, F.gelu),
                                  rtol=0, atol=1e-3)


def test_neck_norm_cfg():
    neck = PartMapConvNeck(in_channels=6, channels=16,
                           norm_cfg=dict(type='GN', num_groups=4))
    assert all(isinstance(m.norm, nn.GroupNorm) and m.norm.num_groups == 4
               for m in neck.convs)
    assert neck(torch.rand(3, 6, 7, 7))[0].shape == (3, 16)
