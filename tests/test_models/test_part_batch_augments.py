# Copyright (c) mmpart contributors. All rights reserved.
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from mmpart.models import PartCutMix, PartMixup
from mmpart.structures import PartTargets


def _coded_batch(batch=6, size=32):
    """Sample i: image all i, map all 10 + i (map of sample 2 empty),
    label i."""
    images = torch.arange(batch).float()[:, None, None, None].expand(
        batch, 3, size, size).clone()
    maps = (10 + torch.arange(batch))[:, None, None].expand(
        batch, size, size).clone()
    maps[2] = 0
    scores = F.one_hot(torch.arange(batch), batch).float()
    weights = torch.tensor([1, 1, 0, 1, 0.5, 1.0])
    targets = PartTargets([maps], [torch.ones(batch)], weights)
    return images, scores, targets


@pytest.mark.parametrize('seed', range(4))
def test_cutmix_one_box_and_permutation_for_all(seed):
    np.random.seed(seed)
    torch.manual_seed(seed)
    images, scores, targets = _coded_batch()
    weights = targets.sample_weights.clone()
    out_images, out_scores, out_targets = PartCutMix(alpha=1.0)(
        images, scores, targets)
    part_map = out_targets.maps[0]
    source = out_images[:, 0]  # which sample each pixel came from
    for b in range(6):
        donor = source[b][source[b] != b]
        pasted = source[b] != b
        if donor.numel():
            j = int(donor[0])
            # One source for the whole box, the same in image and map.
            assert torch.all(donor == j)
            expected = 0 if j == 2 else 10 + j
            assert torch.all(part_map[b][pasted] == expected)
            lam = 1 - pasted.float().mean()
            assert torch.allclose(out_scores[b, b], lam)
            assert torch.allclose(out_scores[b, j], 1 - lam)
            assert torch.allclose(out_targets.sample_weights[b],
                                  lam * weights[b] + (1 - lam) * weights[j])
        assert torch.all(part_map[b][~pasted] == (0 if b == 2 else 10 + b))


def test_cutmix_zeroes_all_background_results():
    np.random.seed(0)
    torch.manual_seed(0)
    images, scores, targets = _coded_batch()
    targets.maps[0].zero_()
    targets.sample_weights.fill_(1.0)
    _, _, out = PartCutMix(alpha=1.0)(images, scores, targets)
    assert torch.all(out.sample_weights == 0)


@pytest.mark.parametrize('seed', range(3))
def test_cutmix_ignored_pixels_are_no_parts(seed):
    """Ignored pixels (65535) are pasted as they are and count as no part:
    a result with only background and ignored pixels gets weight 0."""
    np.random.seed(seed)
    torch.manual_seed(seed)
    images, scores, targets = _coded_batch()
    maps = targets.maps[0]
    maps[[0, 1, 2, 4]] = 0  # parts only in samples 3 and 5
    maps[:, :16] = 65535
    original = maps.clone()
    targets.sample_weights.fill_(1.0)
    out_images, _, out = PartCutMix(alpha=1.0)(images, scores, targets)
    # The map pixel each pixel came from (the images code their sample).
    rows, cols = torch.meshgrid(torch.arange(32), torch.arange(32),
                                indexing='ij')
    expected = original[out_images[:, 0].long(), rows, cols]
    assert torch.equal(out.maps[0], expected)
    has_parts = ((expected != 0) & (expected != 65535)).flatten(1).any(1)
    assert has_parts.any() and not has_parts.all()
    assert torch.equal(out.sample_weights > 0, has_parts)


@pytest.mark.parametrize('seed', range(3))
def test_mixup_one_lambda_and_permutation_for_all(seed):
    np.random.seed(seed)
    torch.manual_seed(seed)
    images, scores, targets = _coded_batch()
    weights = targets.sample_weights.clone()
    out_images, out_scores, out = PartMixup(alpha=1.0)(
        images, scores, targets)
    lam = float(out.coeffs[0][0])
    assert torch.allclose(out.coeffs[0], torch.full((6, ), lam))
    partner = out.maps[1][:, 0, 0] - 10
    partner[out.maps[1][:, 0, 0] == 0] = 2
    for b in range(6):
        j = int(partner[b])
        assert torch.allclose(out_images[b, 0, 0, 0],
                              torch.tensor(lam * b + (1 - lam) * j))
        expected = torch.zeros(6)
        expected[b] += lam
        expected[j] += 1 - lam
        assert torch.allclose(out_scores[b], expected)
        assert torch.allclose(out.coeffs[1][b], torch.tensor(1 - lam))
        assert torch.allclose(out.sample_weights[b],
                              lam * weights[b] + (1 - lam) * weights[j])
