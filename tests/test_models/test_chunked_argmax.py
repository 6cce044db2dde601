# Copyright (c) mmpart contributors. All rights reserved.
import pytest
import torch

from mmpart.models.utils import chunked_argmax, chunked_logsumexp, chunked_max


@pytest.mark.parametrize('chunk', [1, 3, 7, 64])
def test_chunked_reductions_equal_whole_ones(chunk):
    torch.manual_seed(0)
    scores = torch.randn(7, 5, 6)
    # Ties across chunks keep the lowest class, as torch.max does.
    scores[5] = scores[1]
    values, labels = chunked_max(lambda c: scores[c], 7, chunk)
    whole_values, whole_labels = scores.max(0)
    assert torch.equal(values, whole_values)
    assert torch.equal(labels, whole_labels)
    assert torch.equal(chunked_argmax(lambda c: scores[c], 7, chunk),
                       whole_labels)
    torch.testing.assert_close(
        chunked_logsumexp(lambda c: scores[c], 7, chunk),
        torch.logsumexp(scores, 0))


def test_chunk_must_be_positive():
    with pytest.raises(ValueError, match='got 0'):
        chunked_max(lambda c: torch.zeros(2, 1), 2, 0)
