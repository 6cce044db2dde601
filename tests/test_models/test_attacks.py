# Copyright (c) mmpart contributors. All rights reserved.
import pytest
import torch
import torch.nn as nn
from mmengine.registry import init_default_scope
from mmengine.runner import set_random_seed

from mmpart.models import pgd_linf
from mmpart.models.attacks import (ATTACK_PROTOCOLS, build_attack,
                                   resolve_attack_cfg)
from mmpart.registry import MODELS


def test_pgd_stays_in_the_ball_and_raises_the_loss():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Flatten(), nn.Linear(3 * 8 * 8, 4))
    x = torch.rand(5, 3, 8, 8)
    y = torch.tensor([0, 1, 2, 3, 0])

    def loss_fn(images):
        return nn.functional.cross_entropy(net(images), y)

    adv = pgd_linf(loss_fn, x, eps=4 / 255, step_size=1 / 255, steps=10)
    assert (adv - x).abs().max() <= 4 / 255 + 1e-6
    assert adv.min() >= 0 and adv.max() <= 1
    assert loss_fn(adv) > loss_fn(x)


def test_attack_protocols_by_name():
    assert resolve_attack_cfg('pgd10_linf') == dict(
        type='PGD', eps=4 / 255, alpha=1 / 255, steps=10, random_start=True)
    assert resolve_attack_cfg(None) == resolve_attack_cfg('pgd10_linf')
    assert resolve_attack_cfg('pgd10_l2') == dict(
        type='PGDL2', eps=2.0, alpha=0.5, steps=10, random_start=True)
    assert resolve_attack_cfg('pgd10_linf_clean_start') == dict(
        type='PGD', eps=4 / 255, alpha=1 / 255, steps=10, random_start=False)
    assert resolve_attack_cfg('pgd10_l2_clean_start') == dict(
        type='PGDL2', eps=2.0, alpha=0.5, steps=10, random_start=False)
    assert resolve_attack_cfg('autoattack_linf') == dict(
        type='AutoAttack', norm='Linf', eps=4 / 255, version='standard')
    assert resolve_attack_cfg('autoattack_l2') == dict(
        type='AutoAttack', norm='L2', eps=2.0, version='standard')
    assert set(ATTACK_PROTOCOLS) == {
        'pgd10_linf', 'pgd10_l2', 'pgd10_linf_clean_start',
        'pgd10_l2_clean_start', 'autoattack_linf', 'autoattack_l2'
    }
    # Resolving returns a copy: the protocol table stays as it is.
    resolve_attack_cfg('pgd10_linf')['eps'] = 1.0
    assert ATTACK_PROTOCOLS['pgd10_linf']['eps'] == 4 / 255


def test_attack_protocol_overrides_and_errors():
    assert resolve_attack_cfg(
        dict(protocol='pgd10_l2', eps=0.86, alpha=0.21)) == dict(
            type='PGDL2', eps=0.86, alpha=0.21, steps=10, random_start=True)
    # A torchattacks config passes through unchanged.
    assert resolve_attack_cfg(dict(type='APGD', steps=5)) == dict(
        type='APGD', steps=5)
    with pytest.raises(KeyError) as error:
        resolve_attack_cfg('pgd10_lnf')
    message = str(error.value)
    assert "'pgd10_lnf'" in message
    assert all(name in message for name in ATTACK_PROTOCOLS)
    with pytest.raises(KeyError, match='unknown attack protocol'):
        resolve_attack_cfg(dict(protocol='pgd20', eps=1.0))
    with pytest.raises(KeyError, match='neither a protocol'):
        resolve_attack_cfg(dict(eps=1.0))


def _pgd_start(x, **kwargs):
    """Where :func:`pgd_linf` starts: its result after no step."""
    return pgd_linf(lambda images: images.sum(), x, eps=4 / 255,
                    step_size=1 / 255, steps=0, **kwargs)


def test_pgd_linf_random_start_is_uniform_in_the_ball():
    x = torch.rand(4, 3, 16, 16, generator=torch.Generator().manual_seed(0))
    assert torch.equal(_pgd_start(x, random_start=False), x)
    start = _pgd_start(x, generator=torch.Generator().manual_seed(1))
    delta = start - x
    assert delta.abs().max() <= 4 / 255 + 1e-6
    assert start.min() >= 0 and start.max() <= 1
    # Uniform on [-eps, eps] (before the clamp to [0, 1]): most coordinates
    # move, spread over the whole ball, with mean about 0.
    inside = (x > 4 / 255) & (x < 1 - 4 / 255)
    assert (delta[inside] != 0).float().mean() > 0.99
    assert delta[inside].abs().max() > 0.95 * 4 / 255
    assert delta[inside].abs().mean() == pytest.approx(2 / 255, rel=0.05)
    assert delta[inside].mean().abs() < 0.1 / 255


def test_pgd_linf_random_start_is_seeded():
    x = torch.rand(2, 3, 8, 8)
    set_random_seed(0)
    first = _pgd_start(x)
    set_random_seed(0)
    again = _pgd_start(x)
    other = _pgd_start(x)
    assert torch.equal(first, again) and not torch.equal(first, other)
    # An explicit generator leaves the global one alone.
    state = torch.get_rng_state()
    by_generator = _pgd_start(
        x, generator=torch.Generator().manual_seed(0))
    assert torch.equal(torch.get_rng_state(), state)
    assert torch.equal(
        by_generator,
        _pgd_start(x, generator=torch.Generator().manual_seed(0)))


def _peaked_loss(peaks, calls):
    """Batch mean of ``-(x - peak)^2`` per image: signed-gradient steps of
    a fixed size climb towards the peak and overshoot it."""
    peaks = torch.tensor(peaks).view(-1, 1, 1, 1)

    def loss_fn(images):
        calls.append(images.detach().clone())
        return -((images - peaks)**2).mean()

    return loss_fn


@pytest.mark.parametrize(
    'peaks, best, forwards',
    [
        # Iterates 0.5, 0.7, 0.8 (0.8 is the ball's edge): the last step
        # overshoots the peak 0.72, so the loss falls and 0.7 is kept.
        ((0.72, ), (0.7, ), 3),
        # Peak 0.78: the last step still gains; the extra forward scores
        # the last iterate and it is returned.
        ((0.78, ), (0.8, ), 3),
        # Two images, the first loses at the last step (peak 0.72) and the
        # second gains more (peak 0.9): the batch mean rises, so the whole
        # batch's last iterate is returned, the first image's included.
        ((0.72, 0.9), (0.8, 0.8), 3),
    ])
def test_pgd_linf_use_best_keeps_the_batch_iterate_of_highest_loss(
        peaks, best, forwards):
    x = torch.full((len(peaks), 1, 1, 1), 0.5, dtype=torch.float64)
    kwargs = dict(eps=0.3, step_size=0.2, steps=2, random_start=False)
    calls = []
    adv = pgd_linf(_peaked_loss(peaks, calls), x, use_best=True, **kwargs)
    assert adv.flatten().tolist() == pytest.approx(list(best))
    assert len(calls) == forwards
    # Without use_best: the last iterate, one forward per step.
    calls = []
    last = pgd_linf(_peaked_loss(peaks, calls), x, **kwargs)
    assert last.flatten().tolist() == pytest.approx([0.8] * len(peaks))
    assert len(calls) == 2


def test_pgd_linf_use_best_keeps_the_earlier_iterate_on_ties():
    # Peak 0.625 between the start 0.5 and the one step 0.75 (exact in
    # binary): equal losses, and only a strictly higher one replaces.
    x = torch.full((1, 1, 1, 1), 0.5, dtype=torch.float64)
    kwargs = dict(eps=0.25, step_size=0.25, steps=1, random_start=False)
    adv = pgd_linf(_peaked_loss((0.625, ), []), x, use_best=True, **kwargs)
    assert adv.item() == 0.5
    assert pgd_linf(_peaked_loss((0.625, ), []), x, **kwargs).item() == 0.75


def _tiny_classifier():
    init_default_scope('mmpart')
    return MODELS.build(
        dict(
            type='mmpretrain.ImageClassifier',
            data_preprocessor=dict(type='mmpretrain.ClsDataPreprocessor'),
            backbone=dict(
                type='mmpretrain.ResNet',
                depth=18,
                stem_channels=8,
                base_channels=8),
            neck=dict(type='mmpretrain.GlobalAveragePooling'),
            head=dict(
                type='mmpretrain.LinearClsHead',
                num_classes=4,
                in_channels=64))).eval()


def test_pgd_protocols_start_at_random_and_are_seeded():
    classifier = _tiny_classifier()
    pixels = torch.rand(3, 3, 16, 16)
    labels = torch.tensor([0, 1, 2])
    for name, eps in (('pgd10_linf', 4 / 255), ('pgd10_l2', 2.0)):
        cfg = resolve_attack_cfg(dict(protocol=name, steps=0))
        attack = build_attack(cfg, classifier)
        set_random_seed(0)
        start = attack(pixels, labels)
        set_random_seed(0)
        assert torch.equal(attack(pixels, labels), start)
        assert not torch.equal(attack(pixels, labels), start)
        delta = (start - pixels).flatten(1)
        norms = delta.abs().amax(1) if name == 'pgd10_linf' else delta.norm(
            dim=1)
        assert (norms > 0).all() and (norms <= eps + 1e-5).all()
        clean = build_attack(
            resolve_attack_cfg(dict(protocol=f'{name}_clean_start', steps=0)),
            classifier)
        assert torch.equal(clean(pixels, labels), pixels)
