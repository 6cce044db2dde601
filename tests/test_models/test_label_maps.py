# Copyright (c) mmpart contributors. All rights reserved.
import torch

from mmpart.models import bilinear_taps, resize_label_map


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
