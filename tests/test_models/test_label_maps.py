# Copyright (c) mmpart contributors. All rights reserved.
import pytest
import torch
import torch.nn.functional as F

from mmpart.models import (bilinear_taps, resize_label_map,
                           upsampling_adjoint_taps)


def test_bilinear_taps_are_sparse():
    src, w = bilinear_taps((28, 28), (28, 28), torch.device('cpu'))
    assert src.shape == (784, 1) and torch.all(w == 1)
    for out in (14, 7):
        src, w = bilinear_taps((28, 28), (out, out), torch.device('cpu'))
        assert src.shape == (out * out, 4)
        assert torch.allclose(w, torch.full_like(w, 0.25))


def test_resize_label_map_keeps_large_ids():
    labels = torch.tensor([[[0, 3310], [70000, 5]]])
    assert resize_label_map(labels, (2, 2)).tolist() == labels.tolist()
    assert resize_label_map(labels, (4, 4))[0, 0].tolist() == \
        [0, 0, 3310, 3310]


@pytest.mark.parametrize('full, low', [((96, 96), (24, 24)),
                                       ((60, 70), (8, 9)),
                                       ((32, 32), (32, 32))])
def test_upsampling_adjoint_taps_are_the_upsampling_columns(full, low):
    """Row ``j`` of the taps is column ``j`` of the bilinear upsampling
    from ``low`` to ``full``, normalised."""
    sources, weights = upsampling_adjoint_taps(full, low, 'cpu')
    pixels = low[0] * low[1]
    eye = torch.eye(pixels, dtype=torch.float64).view(pixels, 1, *low)
    columns = F.interpolate(
        eye, full, mode='bilinear', align_corners=False).view(pixels, -1)
    expected = columns / columns.sum(1, keepdim=True)
    got = torch.zeros_like(expected).scatter_add_(1, sources,
                                                  weights.double())
    assert torch.allclose(got, expected, atol=1e-6)
    assert weights.shape[1] == (1 if full == low else sources.shape[1])
