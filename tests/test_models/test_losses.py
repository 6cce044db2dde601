# Copyright (c) mmpart contributors. All rights reserved.
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from mmpart.models import (PartCutMix, PartMixup, PixelSoftTargetLoss,
                           SoftFocalPartLoss)
from mmpart.models.losses import sparse_soft_target_ce
from mmpart.structures import LazyPixelLogits, PartTargets

EPS, GAMMA, C = 0.1, 2.0, 40


def dense_reference(part_logits, targets, size=(28, 28)):
    """MPM's part loss as the paper states it, with a dense one-hot of all
    classes: per-sample losses ``(B, )`` (weighted, not yet averaged)."""
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
        losses.append(focal.mean((1, 2)) * targets.sample_weights)
    return torch.stack(losses).mean(0)


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
    ref = dense_reference(logits, targets).mean()
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


def test_zero_weight_samples_do_not_contribute():
    logits, targets, _, _ = _batch(4)
    loss_fn = SoftFocalPartLoss()
    loss = loss_fn(logits, targets)
    grads = torch.autograd.grad(loss, logits)
    # Sample 1 has weight 0 (e.g. an all-background crop).
    assert all(g[1].abs().max() == 0 for g in grads)
    assert all(g[0].abs().max() > 0 for g in grads)


def test_weight_avg_factor_and_reduction_override():
    logits, targets, _, _ = _batch(5)
    loss_fn = SoftFocalPartLoss(gamma=GAMMA, label_smoothing=EPS)
    with torch.no_grad():
        per_sample = dense_reference(logits, targets)  # sample 1 weighs 0
        none = loss_fn(logits, targets, reduction_override='none')
        assert none.shape == (4, )
        assert torch.allclose(none, per_sample, rtol=0, atol=1e-5)
        mean = loss_fn(logits, targets)
        assert torch.allclose(mean, per_sample.mean(), rtol=0, atol=1e-5)
        total = loss_fn(logits, targets, reduction_override='sum')
        assert torch.allclose(total, per_sample.sum(), rtol=0, atol=1e-5)
        # weight multiplies the targets' own sample weights.
        weight = torch.tensor([2.0, 5.0, 0.0, 1.0])
        weighted = loss_fn(logits, targets, weight=weight)
        assert torch.allclose(weighted, (per_sample * weight).mean(),
                              rtol=0, atol=1e-5)
        assert not torch.allclose(weighted, mean, rtol=0, atol=1e-3)
        # avg_factor: e.g. the number of samples that have parts.
        avg = loss_fn(logits, targets, avg_factor=3)
        assert torch.allclose(avg, per_sample.sum() / 3, rtol=0, atol=1e-5)
        assert torch.allclose(
            loss_fn(logits, targets, avg_factor=3,
                    reduction_override='none'), per_sample, rtol=0,
            atol=1e-5)
        scaled = SoftFocalPartLoss(gamma=GAMMA, label_smoothing=EPS,
                                   reduction='sum', loss_weight=0.5)
        assert torch.allclose(scaled(logits, targets), 0.5 * total)
    with pytest.raises(ValueError, match='avg_factor'):
        loss_fn(logits, targets, avg_factor=3, reduction_override='sum')
    with pytest.raises(ValueError, match='reduction_override'):
        loss_fn(logits, targets, reduction_override='max')
    with pytest.raises(ValueError, match='reduction'):
        SoftFocalPartLoss(reduction='max')
    with pytest.raises(ValueError, match=r'shape \(4,\)'):
        loss_fn(logits, targets, weight=torch.ones(4, 1))


@pytest.mark.parametrize('fused', [False, True])
@pytest.mark.parametrize('gamma', [0.0, 2.0])
def test_sparse_soft_target_ce_kernel(fused, gamma):
    """Value and gradients equal autograd over the dense formula, with
    chunks smaller than the rows, the classifier fused or not."""
    g = torch.Generator().manual_seed(0)
    rows, dim, classes = 50, 7, 13
    x = torch.randn(rows, dim if fused else classes, generator=g,
                    dtype=torch.float64, requires_grad=True)
    params = [x]
    if fused:
        params += [
            torch.randn(*shape, generator=g, dtype=torch.float64,
                        requires_grad=True)
            for shape in ((classes, dim), (classes, ))
        ]
    index = torch.randint(0, classes, (rows, 3), generator=g)
    weight = torch.rand(rows, 3, generator=g, dtype=torch.float64)
    weight = weight / weight.sum(1, keepdim=True)
    coef = torch.rand(rows, generator=g, dtype=torch.float64)
    out = sparse_soft_target_ce(x, index, weight, coef, EPS, gamma,
                                *params[1:], chunk_elements=8 * classes)
    logits = F.linear(x, *params[1:]) if fused else x
    target = (1 - EPS) * torch.zeros_like(logits).scatter_add(
        1, index, weight) + EPS / classes
    ce = -(target * logits.log_softmax(1)).sum(1)
    ref = (coef * (1 - torch.exp(-ce))**gamma * ce).sum()
    assert torch.allclose(out.double(), ref, rtol=0, atol=1e-5)
    grads = torch.autograd.grad(3 * out, params, retain_graph=True)
    ref_grads = torch.autograd.grad(3 * ref, params)
    for grad, ref_grad in zip(grads, ref_grads):
        assert torch.allclose(grad, ref_grad, rtol=0, atol=1e-5)
    # The saved gradients are scaled, not consumed: a second pass agrees.
    again = torch.autograd.grad(3 * out, params)
    for grad, second in zip(grads, again):
        assert torch.equal(grad, second)


@pytest.mark.parametrize('reduction', ['mean', 'none'])
def test_lazy_logits_match_materialized(reduction):
    """The bypass's classifier fused into the loss gives the loss and
    gradients of its materialised logits."""
    g = torch.Generator().manual_seed(6)
    _, targets, _, _ = _batch(6)
    lazy = [
        LazyPixelLogits(
            torch.randn(4, d, s, s, generator=g, requires_grad=True),
            torch.randn(C, d, generator=g, requires_grad=True))
        for d, s in ((16, 7), (8, 14), (4, 28))
    ]
    loss_fn = SoftFocalPartLoss(gamma=GAMMA, label_smoothing=EPS,
                                reduction=reduction)
    fused = loss_fn(lazy, targets)
    dense = loss_fn([x.materialize() for x in lazy], targets)
    assert fused.shape == dense.shape
    assert torch.allclose(fused, dense, rtol=0, atol=1e-5)
    params = [t for x in lazy for t in (x.features, x.weight)]
    upstream = torch.rand(fused.shape, generator=g)
    for grad, ref in zip(
            torch.autograd.grad(fused, params, upstream),
            torch.autograd.grad(dense, params, upstream)):
        assert torch.allclose(grad, ref, rtol=0, atol=1e-5)


IGNORE = 65535


def dense_reference_with_ignore(part_logits, targets, size=(28, 28)):
    """The part loss with ignored pixels, densely: the one-hot of the valid
    labels and the valid mask, both resized as the paper resizes the
    one-hot; the soft target is their ratio, and each sample's value the
    mean of the focal loss weighted by the valid mass (``(B, )``, weighted,
    not yet averaged)."""
    target_mass, valid_mass = 0, 0
    for part_map, coeff in zip(targets.maps, targets.coeffs):
        labels = F.interpolate(part_map[:, None].float(), size=size,
                               mode='nearest')[:, 0].long()
        valid = (labels != IGNORE).float()
        onehot = F.one_hot(torch.where(labels != IGNORE, labels, 0),
                           C).permute(0, 3, 1, 2).float() * valid[:, None]
        target_mass = target_mass + coeff[:, None, None, None] * onehot
        valid_mass = valid_mass + coeff[:, None, None] * valid
    losses = []
    for logits in part_logits:
        soft, mass = target_mass, valid_mass
        if logits.shape[-2:] != soft.shape[-2:]:
            soft, mass = (F.interpolate(
                t, size=logits.shape[-2:], mode='bilinear',
                align_corners=False) for t in (soft, mass[:, None]))
            mass = mass[:, 0]
        target = (1 - EPS) * soft / mass[:, None].clamp(min=1e-12) + EPS / C
        ce = -(target * F.log_softmax(logits, 1)).sum(1)
        focal = (1 - torch.exp(-ce))**GAMMA * ce
        per_sample = (mass * focal).sum((1, 2)) / mass.sum(
            (1, 2)).clamp(min=1e-12)
        losses.append(per_sample * targets.sample_weights)
    return torch.stack(losses).mean(0)


def _ignore_batch(seed):
    """:func:`_batch` with about 30% of the pixels ignored, as pseudo
    labels mark their low-confidence pixels: scattered pixels and a block."""
    logits, targets, images, scores = _batch(seed)
    g = torch.Generator().manual_seed(seed + 100)
    maps = targets.maps[0].clone()
    maps[torch.rand(maps.shape, generator=g) < 0.25] = IGNORE
    maps[:, 30:40, 10:30] = IGNORE
    return logits, PartTargets([maps], targets.coeffs,
                               targets.sample_weights), images, scores


@pytest.mark.parametrize('mixup', [False, True])
@pytest.mark.parametrize('lazy', [False, True])
def test_ignored_pixels_match_dense(lazy, mixup):
    """With ~30% of the pixels ignored the loss and its gradients are the
    dense ones over the non-ignored pixels, plain and under Mixup, with
    logits or the classifier fused."""
    logits, targets, images, scores = _ignore_batch(7)
    fraction = (targets.maps[0] == IGNORE).float().mean().item()
    assert 0.27 < fraction < 0.35
    if mixup:
        np.random.seed(7)
        torch.manual_seed(7)
        _, _, targets = PartMixup(alpha=1.0)(images, scores, targets)
        assert len(targets.maps) == 2
    g = torch.Generator().manual_seed(8)
    if lazy:
        inputs = [
            LazyPixelLogits(
                torch.randn(4, d, s, s, generator=g, requires_grad=True),
                torch.randn(C, d, generator=g, requires_grad=True))
            for d, s in ((16, 7), (8, 14), (4, 28))
        ]
        params = [t for x in inputs for t in (x.features, x.weight)]
        dense_logits = [x.materialize() for x in inputs]
    else:
        inputs = params = dense_logits = logits
    loss_fn = SoftFocalPartLoss(gamma=GAMMA, label_smoothing=EPS)
    fast = loss_fn(inputs, targets)
    ref = dense_reference_with_ignore(dense_logits, targets).mean()
    assert torch.allclose(fast, ref, rtol=0, atol=1e-5), (fast, ref)
    # Ignoring pixels changes the loss: they are not background.
    assert not torch.allclose(
        ref, dense_reference(dense_logits, PartTargets(
            [m.masked_fill(m == IGNORE, 0) for m in targets.maps],
            targets.coeffs, targets.sample_weights)).mean(), atol=1e-3)
    for grad, ref_grad in zip(torch.autograd.grad(fast, params),
                              torch.autograd.grad(ref, params)):
        assert torch.allclose(grad, ref_grad, rtol=0, atol=1e-5)
    per_sample = loss_fn(inputs, targets, reduction_override='none')
    with torch.no_grad():
        assert torch.allclose(
            per_sample, dense_reference_with_ignore(dense_logits, targets),
            rtol=0, atol=1e-5)


def test_ignored_region_has_no_effect():
    """The logits of ignored pixels at the finest scale get no gradient, and
    changing them leaves the loss as it is."""
    logits, targets, _, _ = _batch(9)
    maps = targets.maps[0].clone()
    maps[:, :20] = IGNORE  # rows 0-9 of the 28x28 target
    targets = PartTargets([maps], targets.coeffs, targets.sample_weights)
    loss_fn = SoftFocalPartLoss(gamma=GAMMA, label_smoothing=EPS)
    loss = loss_fn(logits, targets)
    finest = torch.autograd.grad(loss, logits)[-1]
    assert finest[:, :, :10].abs().max() == 0
    assert finest[[0, 2, 3], :, 10:].abs().amin((1, 2)).max() > 0
    changed = [x.detach().clone() for x in logits]
    changed[-1][:, :, :10] += 5 * torch.randn_like(changed[-1][:, :, :10])
    assert torch.allclose(loss_fn(changed, targets), loss, rtol=0,
                          atol=1e-6)
    changed[-1][:, :, 10:] += 1
    changed[-1][:, 3, 10:] += 1
    assert not torch.allclose(loss_fn(changed, targets), loss, atol=1e-3)


def test_all_ignored_sample_gives_zero():
    """A sample whose every pixel is ignored contributes 0, without NaN,
    and leaves the other samples' losses as they are."""
    logits, targets, _, _ = _batch(10)
    maps = targets.maps[0].clone()
    maps[0] = IGNORE
    weights = torch.ones(4)
    targets = PartTargets([maps], targets.coeffs, weights)
    loss_fn = SoftFocalPartLoss(gamma=GAMMA, label_smoothing=EPS)
    for lazy in (False, True):
        inputs = [
            LazyPixelLogits(x, torch.eye(C)) if lazy else x for x in logits
        ]
        per_sample = loss_fn(inputs, targets, reduction_override='none')
        assert per_sample[0].item() == 0
        assert (per_sample[1:] > 0).all()
        others = loss_fn([x[1:] for x in logits],
                         PartTargets([maps[1:]], [torch.ones(3)],
                                     weights[1:]),
                         reduction_override='none')
        assert torch.allclose(per_sample[1:], others, rtol=0, atol=1e-6)
        grads = torch.autograd.grad(loss_fn(inputs, targets), logits)
        for grad in grads:
            assert torch.isfinite(grad).all()
            assert grad[0].abs().max() == 0 and grad[1].abs().max() > 0


def test_labels_out_of_range_are_named():
    logits, targets, _, _ = _batch(11)
    maps = targets.maps[0].clone()
    maps[2, 40:, 40:] = C
    with pytest.raises(ValueError,
                       match=f'^part target 0 of sample 2 in the part loss '
                       f'holds part id {C}, neither a class'):
        SoftFocalPartLoss()(logits, PartTargets([maps], targets.coeffs,
                                                targets.sample_weights))
    # Another ignore index makes 65535 an ordinary (here too large) label.
    maps = targets.maps[0].masked_fill(targets.maps[0] == 3, IGNORE)
    with pytest.raises(ValueError, match='holds part id 65535'):
        SoftFocalPartLoss(ignore_index=255)(
            logits, PartTargets([maps], targets.coeffs,
                                targets.sample_weights))


def _seg_batch(seed, size=(40, 48), classes=C):
    g = torch.Generator().manual_seed(seed)
    coarse = torch.randint(0, classes, (2, size[0] // 4, size[1] // 4),
                           generator=g)
    labels = coarse.repeat_interleave(4, 1).repeat_interleave(4, 2)
    labels[0, :7] = 65535
    labels[1, :, -3:] = 65535
    return labels


@pytest.mark.parametrize('avg_non_ignore', [False, True])
def test_pixel_soft_target_loss_at_label_size_is_cross_entropy(
        avg_non_ignore):
    """Where logits and labels have one size, the loss is mmseg's
    cross-entropy (mean over all pixels, or over the valid ones)."""
    labels = _seg_batch(0)
    logits = torch.randn(2, C, *labels.shape[-2:], requires_grad=True)
    loss = PixelSoftTargetLoss(avg_non_ignore=avg_non_ignore,
                               loss_weight=0.7)
    ours = loss(logits, labels, ignore_index=65535)
    per_pixel = F.cross_entropy(logits, labels, ignore_index=65535,
                                reduction='none')
    valid = (labels != 65535).sum() if avg_non_ignore else labels.numel()
    ref = 0.7 * per_pixel.sum() / valid
    assert torch.allclose(ours, ref, atol=1e-5)
    for g, r in zip(torch.autograd.grad(ours, logits),
                    torch.autograd.grad(ref, logits)):
        assert torch.allclose(g, r, atol=1e-6)


def test_pixel_soft_target_loss_target_is_the_upsampling_adjoint():
    """At 1/4 resolution the target is the labels seen through the
    transpose of the stock bilinear upsampling (dense reference)."""
    labels = _seg_batch(1)
    logits = torch.randn(2, C, 10, 12, dtype=torch.float64,
                         requires_grad=True)
    valid = (labels != 65535)
    onehot = F.one_hot(torch.where(valid, labels, 0), C).permute(
        0, 3, 1, 2).double() * valid[:, None]
    probe = torch.zeros_like(logits, requires_grad=True)
    up = F.interpolate(probe, labels.shape[-2:], mode='bilinear',
                       align_corners=False)
    target_mass, = torch.autograd.grad((up * onehot).sum(), probe)
    footprint, = torch.autograd.grad(
        F.interpolate(probe, labels.shape[-2:], mode='bilinear',
                      align_corners=False).sum(), probe)
    mass = target_mass.sum(1) / footprint[:, 0]
    target = target_mass / target_mass.sum(1, keepdim=True).clamp(min=1e-12)
    ce = -(target * logits.log_softmax(1)).sum(1)
    ref = (mass * ce).sum() / mass.numel()
    ours = PixelSoftTargetLoss()(logits, labels, ignore_index=65535)
    assert torch.allclose(ours.double(), ref, atol=1e-5)
    for g, r in zip(torch.autograd.grad(ours, logits),
                    torch.autograd.grad(ref, logits)):
        assert torch.allclose(g, r, atol=1e-6)
    with pytest.raises(ValueError, match='^the label map of sample 0 in '
                       r'PixelSoftTargetLoss holds part id \d+, neither a '
                       'class'):
        PixelSoftTargetLoss()(logits, labels + 1000, ignore_index=65535)
