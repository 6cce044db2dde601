# Copyright (c) mmpart contributors. All rights reserved.
from collections import OrderedDict

import pytest
import torch
from mmengine.hooks import EMAHook
from mmengine.model import ExponentialMovingAverage

from mmpart.utils import (CheckpointWeightsError, checkpoint_weights,
                          has_ema_weights)


def ema_hook_checkpoint() -> tuple:
    """A checkpoint as a runner with EMAHook saves it, and the raw and the
    averaged weights."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.BatchNorm1d(2))
    hook = EMAHook(momentum=0.5)
    hook.ema_model = ExponentialMovingAverage(model, momentum=0.5)
    for _ in range(3):
        with torch.no_grad():
            for param in model.parameters():
                param.add_(torch.randn_like(param))
        hook.ema_model.update_parameters(model)
    raw = OrderedDict((k, v.clone()) for k, v in model.state_dict().items())
    ema = OrderedDict(
        (k, v.clone())
        for k, v in hook.ema_model.module.state_dict().items())
    checkpoint = dict(meta={}, state_dict=OrderedDict(model.state_dict()))
    hook.before_save_checkpoint(None, checkpoint)
    return checkpoint, raw, ema


def assert_same(weights: dict, expected: dict):
    assert list(weights) == list(expected)
    for key, value in expected.items():
        assert torch.equal(weights[key], value), key


def test_ema_hook_layout():
    checkpoint, raw, ema = ema_hook_checkpoint()
    assert not torch.equal(raw['0.weight'], ema['0.weight'])
    assert has_ema_weights(checkpoint)
    assert_same(checkpoint_weights(checkpoint, ema=False), raw)
    assert_same(checkpoint_weights(checkpoint, ema=True), ema)
    checkpoint['ema_state_dict']['module.extra'] = torch.zeros(1)
    with pytest.raises(CheckpointWeightsError, match='not written by EMA'):
        checkpoint_weights(checkpoint, ema=False, filename='x.pth')


def test_raw_only_layouts():
    weights = OrderedDict(w=torch.arange(3.), b=torch.ones(1))
    for checkpoint in (dict(state_dict=weights, meta={}), dict(weights),
                       dict(model=weights)):
        assert not has_ema_weights(checkpoint)
        assert_same(checkpoint_weights(checkpoint, ema=False), weights)
        with pytest.raises(CheckpointWeightsError,
                           match='^a.pth has no EMA weights'):
            checkpoint_weights(checkpoint, ema=True, filename='a.pth')


def test_official_layout_and_module_prefix():
    raw = OrderedDict(w=torch.zeros(1))
    ema = OrderedDict(w=torch.ones(1))
    checkpoint = dict(
        state_dict={f'module.{k}': v for k, v in raw.items()},
        state_dict_ema={f'module.{k}': v for k, v in ema.items()},
        epoch=3)
    assert has_ema_weights(checkpoint)
    assert_same(checkpoint_weights(checkpoint, ema=False), raw)
    assert_same(checkpoint_weights(checkpoint, ema=True), ema)


def test_no_weights():
    with pytest.raises(CheckpointWeightsError,
                       match=r"^b.pth holds no model weights.*\['epoch'"):
        checkpoint_weights(dict(epoch=1), ema=False, filename='b.pth')
    with pytest.raises(CheckpointWeightsError, match='holds a list'):
        checkpoint_weights([], ema=False)
