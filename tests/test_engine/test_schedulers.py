# Copyright (c) mmpart contributors. All rights reserved.
import math

import pytest
import torch
from mmengine.optim import LinearLR

from mmpart.engine import CosineAnnealingFromStartLR


def _optimizer(lr=1.0):
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr)


def _run(optimizer, schedulers, steps):
    lrs = []
    for _ in range(steps):
        lrs.append(optimizer.param_groups[0]['lr'])
        optimizer.step()
        for scheduler in schedulers:
            scheduler.step()
    return lrs


def test_cosine_phase_counts_from_step_zero():
    optimizer = _optimizer()
    schedulers = [
        LinearLR(optimizer, start_factor=0.1, begin=0, end=4,
                 by_epoch=False),
        CosineAnnealingFromStartLR(
            optimizer, T_max=20, eta_min=0.05, begin=4, end=20,
            by_epoch=False)
    ]
    lrs = _run(optimizer, schedulers, 20)
    assert lrs[:4] == pytest.approx([0.1, 0.4, 0.7, 1.0])
    cosine = [
        0.05 + 0.95 * (1 + math.cos(math.pi * t / 20)) / 2
        for t in range(4, 20)
    ]
    assert lrs[4:] == pytest.approx(cosine)


def test_epoch_config_converts_to_iterations_and_resumes():
    optimizer = _optimizer()
    scheduler = CosineAnnealingFromStartLR.build_iter_from_epoch(
        optimizer, T_max=4, eta_min=0., begin=1, end=4, epoch_length=5)
    assert (scheduler.T_max, scheduler.begin, scheduler.end) == (20, 5, 20)
    lrs = _run(optimizer, [scheduler], 12)
    assert lrs[:5] == [1.0] * 5
    assert lrs[5:] == pytest.approx(
        [(1 + math.cos(math.pi * t / 20)) / 2 for t in range(5, 12)])
    # A resumed scheduler continues from its step count.
    state = scheduler.state_dict()
    resumed_optimizer = _optimizer()
    resumed = CosineAnnealingFromStartLR(
        resumed_optimizer, T_max=20, begin=5, end=20, by_epoch=False)
    resumed.load_state_dict(state)
    resumed.step()
    assert resumed_optimizer.param_groups[0]['lr'] == pytest.approx(
        (1 + math.cos(math.pi * 13 / 20)) / 2)
