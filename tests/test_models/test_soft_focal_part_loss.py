# Copyright (c) mmpart contributors. All rights reserved.
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from mmpart.models import (PartCutMix, PartMixup, SoftFocalPartLoss,
                           bilinear_taps)
from mmpart.structures import PartTargets

EPS, GAMMA, C = 0.1, 2.0, 40


def dense_reference(part_logits, targets, size=(28, 28)):
    """The formulation of DESIGN.md, with a dense one-hot of all classes."""
    soft = 0
    for part_map, coeff in zip(targets.maps, targets.coeffs):
        labels = F.interpolate(part_map[:, None].float(), size=size,
                               mode='nearest')[:, 0].long()
        onehot = F.one_hot(labels, C).permute(0, 3, 1, 2).float()
        soft = soft + coeff[:, None, None, None] * (onehot * (1 - EPS) +
                                                    EPS / C)
    losses = []
    for logits in part_logits:
        target = soft if logits.shape[-2:] == soft.shape[-2:] else \
            F.interpolate(soft, size=logits.shape[-2:], mode='bilinear',
                          align_corners=False)
        ce = -(target * F.log_softmax(logits, 1)).sum(1)
        focal = (1 - torch.exp(-ce))**GAMMA * ce
        losses.append((focal * targets.sample_weights[:, None, None]).mean())
    return torch.stack(losses).mean()


def _batch(seed, batch=4, size=56):
    g = torch.Generator().manual_seed(seed)
    # Blocky maps with many labels, like parts, plus background.
    coarse = torch.randint(0, C, (batch, size // 8, size // 8), generator=g)
    maps = coarse.repeat_interleave(8, 1).repeat_interleave(8, 2)
    maps[:, :5] = 0
    logits = [torch.randn(batch, C, s, s, generator=g, requires_grad=True)
              for s in (7, 14, 28)]
    targets = PartTargets(
        maps=[maps], coeffs=[torch.ones(batch)],
        sample_weights=torch.tensor([1.0, 0.0, 0.5, 1.0])[:batch])
    images = torch.randn(batch, 3, size, size, generator=g)
    scores = F.one_hot(torch.arange(batch) % 3, 3).float()
    return logits, targets, images, scores


def _check(logits, targets):
    loss_fn = SoftFocalPartLoss(gamma=GAMMA, label_smoothing=EPS)
    fast = loss_fn(logits, targets)
    ref = dense_reference(logits, targets)
    assert torch.allclose(fast, ref, rtol=0, atol=1e-5), (fast, ref)
    grads = torch.autograd.grad(fast, logits)
    ref_grads = torch.autograd.grad(ref, logits)
    for g, r in zip(grads, ref_grads):
        assert torch.allclose(g, r, rtol=0, atol=1e-6)
    assert fast.item() > 0


@pytest.mark.parametrize('seed', [0, 1])
def test_plain_targets_match_dense(seed):
    logits, targets, _, _ = _batch(seed)
    _check(logits, targets)


@pytest.mark.parametrize('seed', [0, 1])
def test_mixup_targets_match_dense(seed):
    logits, targets, images, scores = _batch(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    _, _, mixed = PartMixup(alpha=1.0)(images, scores, targets)
    assert len(mixed.maps) == 2
    _check(logits, mixed)


@pytest.mark.parametrize('seed', [0, 1])
def test_cutmix_targets_match_dense(seed):
    logits, targets, images, scores = _batch(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    _, _, mixed = PartCutMix(alpha=1.0)(images, scores, targets)
    assert len(mixed.maps) == 1
    _check(logits, mixed)


def test_single_and_two_scale_and_other_target_sizes():
    logits, targets, _, _ = _batch(3)
    _check(logits[:1], targets)
    _check(logits[:2], targets)


def test_bilinear_taps_are_sparse():
    src, w = bilinear_taps((28, 28), (28, 28), torch.device('cpu'))
    assert src.shape == (784, 1) and torch.all(w == 1)
    for out in (14, 7):
        src, w = bilinear_taps((28, 28), (out, out), torch.device('cpu'))
        assert src.shape == (out * out, 4)
        assert torch.allclose(w, torch.full_like(w, 0.25))


def test_zero_weight_samples_do_not_contribute():
    logits, targets, _, _ = _batch(4)
    loss_fn = SoftFocalPartLoss()
    loss = loss_fn(logits, targets)
    grads = torch.autograd.grad(loss, logits)
    # Sample 1 has weight 0 (e.g. an all-background crop).
    assert all(g[1].abs().max() == 0 for g in grads)
    assert all(g[0].abs().max() > 0 for g in grads)
