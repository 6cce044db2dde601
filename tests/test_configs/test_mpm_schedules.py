# Copyright (c) mmpart contributors. All rights reserved.
"""The ImageNet recipes' learning rates against the official training's
(timm's schedulers, per update, as ``train_configs/1k_pp/*.yaml`` set them)
and their adversarial-training settings."""
import math
import os.path as osp

import pytest
import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope

from mmpart.registry import MODELS, PARAM_SCHEDULERS
from ..conftest import PROJECT_ROOT

#: Updates per epoch in these tests (ImageNet has about 2500 at batch 512;
#: the schedules are per update, so the epoch length only scales them).
EPOCH_LENGTH = 250
#: The official yaml values: lrb 0.2 at batch 512, warmup_lr 1e-3, 2
#: warm-up epochs.
BASE_LR, WARMUP_LR, WARMUP_EPOCHS = 0.2, 1e-3, 2


def timm_warmup(t: int, warmup_t: int) -> float:
    """timm's linear warm-up: ``warmup_lr_init`` at update 0, rising by
    ``(base - warmup_lr_init) / warmup_t`` per update."""
    return WARMUP_LR + t * (BASE_LR - WARMUP_LR) / warmup_t


def timm_cosine(t: int, epochs: int, min_lr: float) -> float:
    """timm's ``CosineLRScheduler`` per update (``warmup_prefix=False``, one
    cycle): the warm-up, then the cosine of the whole run, its phase
    counted from update 0."""
    warmup_t, t_initial = WARMUP_EPOCHS * EPOCH_LENGTH, epochs * EPOCH_LENGTH
    if t < warmup_t:
        return timm_warmup(t, warmup_t)
    return min_lr + (BASE_LR - min_lr) * (
        1 + math.cos(math.pi * t / t_initial)) / 2


def timm_step(t: int, decay_epochs: int = 5, rate: float = 0.1) -> float:
    """timm's ``StepLRScheduler`` per update: the warm-up, then the base lr
    times ``rate`` every ``decay_epochs``."""
    warmup_t = WARMUP_EPOCHS * EPOCH_LENGTH
    if t < warmup_t:
        return timm_warmup(t, warmup_t)
    return BASE_LR * rate**(t // (decay_epochs * EPOCH_LENGTH))


def config_lrs(name: str) -> list:
    """The lr of every training iteration of ``configs/mpm/<name>``, with
    its param schedulers built as the runner builds them and stepped after
    each iteration as ``ParamSchedulerHook`` steps them (after the
    optimizer's first step, as mmengine expects)."""
    init_default_scope('mmpart')
    cfg = Config.fromfile(osp.join(PROJECT_ROOT, 'configs', 'mpm', name))
    param = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([param], lr=cfg.optim_wrapper.optimizer.lr)
    scheduler_cfgs = cfg.param_scheduler
    if isinstance(scheduler_cfgs, dict):
        scheduler_cfgs = [scheduler_cfgs]
    max_epochs = cfg.train_cfg.max_epochs
    schedulers = []
    for scheduler_cfg in scheduler_cfgs:
        scheduler_cfg = dict(scheduler_cfg)
        scheduler_cfg.setdefault('end', max_epochs)
        schedulers.append(
            PARAM_SCHEDULERS.build(
                scheduler_cfg,
                default_args=dict(
                    optimizer=optimizer, epoch_length=EPOCH_LENGTH)))
    optimizer.step()
    lrs = []
    for _ in range(max_epochs * EPOCH_LENGTH):
        lrs.append(optimizer.param_groups[0]['lr'])
        for scheduler in schedulers:
            scheduler.step()
    return lrs


def assert_warmup_close(lrs: list, official: list) -> None:
    """mmengine's ``LinearLR`` reaches the full lr at the last warm-up
    iteration (its slope is ``1 / (W - 1)``), timm's one iteration later
    (``1 / W``): at most one warm-up increment apart, 0.02% of the lr at
    ImageNet's 2 x 2500 warm-up iterations."""
    increment = (BASE_LR - WARMUP_LR) / (WARMUP_EPOCHS * EPOCH_LENGTH)
    assert lrs[0] == pytest.approx(official[0], rel=1e-9)
    assert all(
        abs(lr - ref) <= increment * (1 + 1e-9)
        for lr, ref in zip(lrs, official))


@pytest.mark.parametrize('name, epochs, min_lr', [
    ('mpm_resnet50-gelu_8xb64-stage2-at-80e_in1k-pinpp.py', 80, 1e-2),
    ('resnet50-gelu_8xb64-stage2-at-80e_in1k.py', 80, 1e-2),
    ('mpm_resnet50-gelu_8xb64-100e_in1k-pinpp.py', 100, 1e-3),
    ('resnet50-gelu_8xb64-100e_in1k.py', 100, 1e-3),
])
def test_cosine_recipes_follow_timm(name, epochs, min_lr):
    lrs = config_lrs(name)
    official = [timm_cosine(t, epochs, min_lr) for t in range(len(lrs))]
    assert len(lrs) == epochs * EPOCH_LENGTH
    warmup_t = WARMUP_EPOCHS * EPOCH_LENGTH
    assert_warmup_close(lrs[:warmup_t], official[:warmup_t])
    # After the warm-up: timm's cosine exactly.
    assert lrs[warmup_t:] == pytest.approx(official[warmup_t:], rel=1e-9)
    # The numbers the formula gives: 1e-3 at the start; the cosine enters
    # below 0.2 (its phase is not reset by the warm-up); it ends just
    # above min_lr, not at 0.
    assert lrs[0] == pytest.approx(1e-3)
    assert lrs[warmup_t] == pytest.approx(
        min_lr + (0.2 - min_lr) * (1 + math.cos(math.pi * 2 / epochs)) / 2)
    assert lrs[len(lrs) // 2] == pytest.approx((0.2 + min_lr) / 2)
    assert min_lr < lrs[-1] < min_lr * 1.0001


def test_stage1_recipe_only_warms_up():
    # timm's step schedule with a 2-epoch warm-up in a 1-epoch run: the lr
    # rises linearly from 1e-3 and the run ends half-way, near 0.1.
    lrs = config_lrs('mpm_resnet50-gelu_8xb64-stage1-1e_in1k-pinpp.py')
    official = [timm_step(t) for t in range(len(lrs))]
    assert len(lrs) == EPOCH_LENGTH
    assert_warmup_close(lrs, official)
    assert lrs[0] == pytest.approx(1e-3)
    assert lrs[-1] == pytest.approx(0.1, rel=0.01)


@pytest.mark.parametrize('name', [
    'mpm_resnet50-gelu_8xb64-stage2-at-80e_in1k-pinpp.py',
    'mpm_resnet50-gelu_8xb64-stage2-at-80e_in1k-pinpp-pseudo.py',
    'resnet50-gelu_8xb64-stage2-at-80e_in1k.py',
])
def test_adversarial_recipes_attack_as_the_official(name):
    cfg = Config.fromfile(osp.join(PROJECT_ROOT, 'configs', 'mpm', name))
    assert cfg.model.adv_cfg == dict(
        eps=4 / 255, steps=2, random_start=True, use_best=True)
    hooks = {hook['type']: hook for hook in cfg.custom_hooks}
    assert hooks['AdvStepRampHook'] == dict(
        type='AdvStepRampHook', warmup_epochs=2, by_epoch=True)
    assert hooks['EMAHook']['momentum'] == 0.0002
    assert hooks['EMAHook']['update_buffers']
    assert cfg.val_cfg.attack == 'pgd10_linf'


def test_plain_adversarial_recipe_starts_from_torchvision(tmp_path):
    """The whole torchvision classifier, as the official
    ``model.load_state_dict`` of ``resnet50-tv2.pth``: the backbone and the
    head's ``fc``."""
    cfg = Config.fromfile(
        osp.join(PROJECT_ROOT, 'configs', 'mpm',
                 'resnet50-gelu_8xb64-stage2-at-80e_in1k.py'))
    weights = 'torchvision://resnet50.imagenet1k_v2'
    assert cfg.model.backbone.init_cfg.checkpoint == weights
    assert cfg.model.head.init_cfg.checkpoint == weights
    assert cfg.get('load_from') is None
    # A stand-in for torchvision's file: the head takes its fc.
    fc = dict(weight=torch.randn(1000, 2048), bias=torch.randn(1000))
    path = str(tmp_path / 'tv.pth')
    torch.save({f'fc.{k}': v for k, v in fc.items()}, path)
    cfg.model.backbone.init_cfg = None
    cfg.model.head.init_cfg.checkpoint = path
    init_default_scope('mmpart')
    model = MODELS.build(cfg.model)
    model.init_weights()
    assert torch.equal(model.head.fc.weight.data, fc['weight'])
    assert torch.equal(model.head.fc.bias.data, fc['bias'])


@pytest.mark.parametrize('name', [
    'mpm_resnet50-gelu_8xb64-stage1-1e_in1k-pinpp.py',
    'mpm_resnet50-gelu_8xb64-stage2-at-80e_in1k-pinpp.py',
    'resnet50-gelu_8xb64-100e_in1k.py',
])
def test_optimizer_is_timms_sgd(name):
    """timm's ``create_optimizer_v2(opt='sgd')``: Nesterov momentum 0.9,
    weight decay 1e-4 on all but the 1-d parameters."""
    cfg = Config.fromfile(osp.join(PROJECT_ROOT, 'configs', 'mpm', name))
    # The recipes' AmpOptimWrapper needs CUDA; the parameter groups are the
    # constructor's either way.
    wrapper_cfg = dict(cfg.optim_wrapper, type='OptimWrapper')
    wrapper_cfg.pop('loss_scale')
    model = nn.Sequential(
        nn.Conv2d(3, 4, 3, bias=False), nn.BatchNorm2d(4), nn.Flatten(),
        nn.Linear(4, 2))
    optimizer = build_optim_wrapper(model, wrapper_cfg).optimizer
    decay = {
        tuple(group['params'][0].shape): group['weight_decay']
        for group in optimizer.param_groups
    }
    assert decay == {(4, 3, 3, 3): 1e-4, (4, ): 0., (2, 4): 1e-4, (2, ): 0.}
    assert all(group['nesterov'] and group['momentum'] == 0.9
               for group in optimizer.param_groups)
