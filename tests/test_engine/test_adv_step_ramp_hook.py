# Copyright (c) mmpart contributors. All rights reserved.
from types import SimpleNamespace

import pytest
import torch.nn as nn

from mmpart.engine import AdvStepRampHook


def _scales(hook, epochs=4, epoch_length=4):
    """``adv_step_scale`` before each iteration of a fake run."""
    model = nn.Linear(1, 1)
    runner = SimpleNamespace(
        model=model, train_dataloader=[None] * epoch_length, epoch=0, iter=0)
    scales = []
    for epoch in range(epochs):
        for batch_idx in range(epoch_length):
            runner.epoch, runner.iter = epoch, epoch * epoch_length + batch_idx
            hook.before_train_iter(runner, batch_idx)
            scales.append(model.adv_step_scale)
    return scales


def test_ramp_per_epoch_as_the_official():
    # att_step = step * min(epoch, warmup) / warmup: 0, half, then full.
    scales = _scales(AdvStepRampHook(warmup_epochs=2, by_epoch=True))
    assert scales == [0.0] * 4 + [0.5] * 4 + [1.0] * 8


def test_ramp_per_iteration():
    scales = _scales(AdvStepRampHook(warmup_epochs=2))
    assert scales[:8] == pytest.approx([(i + 1) / 8 for i in range(8)])
    assert scales[8:] == [1.0] * 8
    assert _scales(AdvStepRampHook(warmup_epochs=0)) == [1.0] * 16
