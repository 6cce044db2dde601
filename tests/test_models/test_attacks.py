# Copyright (c) mmpart contributors. All rights reserved.
import pytest
import torch
import torch.nn as nn

from mmpart.models import pgd_linf
from mmpart.models.attacks import ATTACK_PROTOCOLS, resolve_attack_cfg


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
        type='PGD', eps=4 / 255, alpha=1 / 255, steps=10, random_start=False)
    assert resolve_attack_cfg(None) == resolve_attack_cfg('pgd10_linf')
    assert resolve_attack_cfg('pgd10_l2') == dict(
        type='PGDL2', eps=2.0, alpha=0.5, steps=10, random_start=False)
    assert resolve_attack_cfg('autoattack_linf') == dict(
        type='AutoAttack', norm='Linf', eps=4 / 255, version='standard')
    assert resolve_attack_cfg('autoattack_l2') == dict(
        type='AutoAttack', norm='L2', eps=2.0, version='standard')
    assert set(ATTACK_PROTOCOLS) == {
        'pgd10_linf', 'pgd10_l2', 'autoattack_linf', 'autoattack_l2'
    }
    # Resolving returns a copy: the protocol table stays as it is.
    resolve_attack_cfg('pgd10_linf')['eps'] = 1.0
    assert ATTACK_PROTOCOLS['pgd10_linf']['eps'] == 4 / 255


def test_attack_protocol_overrides_and_errors():
    assert resolve_attack_cfg(
        dict(protocol='pgd10_l2', eps=0.86, alpha=0.21)) == dict(
            type='PGDL2', eps=0.86, alpha=0.21, steps=10, random_start=False)
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
