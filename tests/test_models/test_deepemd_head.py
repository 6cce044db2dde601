# Copyright (c) mmpart contributors. All rights reserved.
"""DeepEMDHead: logits, the SFC's updates and gradients through the
trainable solver."""
import pytest
import torch
import torch.nn.functional as F

from mmpart.models.utils import (centred_cosine_similarity,
                                 cross_reference_weights, emd_flow_opencv,
                                 normalise_node_weights)
from mmpart.registry import MODELS


def _head(**kwargs):
    return MODELS.build(dict(type='DeepEMDHead', **kwargs)).eval()


def test_logits_shape_and_scale_on_a_tiny_episode():
    torch.manual_seed(0)
    head = _head()
    support, query = torch.randn(3, 1, 16, 2, 2), torch.randn(6, 16, 2, 2)
    logits = head.episode_logits(support, query)
    assert logits.shape == (6, 3)
    # The flows carry one unit per node, the similarities are in [-1, 1].
    assert logits.abs().max() <= 12.5 + 1e-4
    # A query that is its own prototype moves all its mass at zero cost.
    own = head.emd_logits(support[:, 0], support[:, 0])
    torch.testing.assert_close(own.diagonal(), torch.full((3, ), 12.5))
    assert (own.argmax(1) == torch.arange(3)).all()


def test_logits_are_the_flow_weighted_similarity():
    torch.manual_seed(0)
    head = _head()
    query, proto = torch.randn(2, 5, 2, 2), torch.randn(3, 5, 2, 2)
    logits = head.emd_logits(query, proto)
    similarity = centred_cosine_similarity(query, proto)[1, 2]
    supply = cross_reference_weights(query, proto)[1, 2:3]
    demand = cross_reference_weights(proto, query)[2, 1:2]
    flow = emd_flow_opencv((1 - similarity)[None],
                           normalise_node_weights(supply),
                           normalise_node_weights(demand))
    expected = (flow[0] * similarity).sum() * 12.5 / 4
    torch.testing.assert_close(logits[1, 2], expected)


def test_sfc_first_updates_by_hand():
    """Two SGD steps on all supports at once: the first moves by -lr * g,
    the second by -lr * (0.9 g0 + 0.1 g1) (momentum 0.9, dampening 0.9)."""
    torch.manual_seed(0)
    head = _head(sfc_steps=2, sfc_batch_size=6, sfc_lr=0.1)
    support = torch.randn(3, 2, 5, 2, 2)
    supports = support.flatten(0, 1)
    labels = torch.arange(3).repeat_interleave(2)

    def gradient(proto):
        proto = proto.clone().requires_grad_()
        F.cross_entropy(head.emd_logits(supports, proto), labels).backward()
        return proto.grad

    start = support.mean(1)
    g0 = gradient(start)
    first = start - 0.1 * g0
    second = first - 0.1 * (0.9 * g0 + 0.1 * gradient(first))
    sfc = head.fit_sfc(support)
    torch.testing.assert_close(sfc, second)
    assert not sfc.requires_grad


def test_sfc_separates_the_supports():
    """The fitted prototypes classify their own supports better than the
    mean supports do (the official settings but 10 passes)."""
    torch.manual_seed(0)
    head = _head(sfc_steps=10)
    support = torch.randn(3, 3, 8, 2, 2)
    labels = torch.arange(3).repeat_interleave(3)
    supports = support.flatten(0, 1)
    before = F.cross_entropy(head.emd_logits(supports, support.mean(1)),
                             labels)
    after = F.cross_entropy(head.emd_logits(supports, head.fit_sfc(support)),
                            labels)
    assert after < before


def test_gradients_reach_the_features_through_sinkhorn_flows():
    """In training mode the flows are Sinkhorn's: the gradient reaches the
    node weights, so it differs from that of the same logits with the
    flows held constant."""
    torch.manual_seed(0)
    head = _head().train()
    query = torch.randn(2, 5, 2, 2, requires_grad=True)
    proto = torch.randn(3, 5, 2, 2)
    head.emd_logits(query, proto)[:, 0].sum().backward()
    through_flows = query.grad.clone()
    assert torch.isfinite(through_flows).all()
    assert through_flows.abs().sum() > 0
    query.grad = None
    _head(train_solver='opencv').train().emd_logits(
        query, proto)[:, 0].sum().backward()
    assert not torch.allclose(query.grad, through_flows, atol=1e-3)


def test_unknown_solver_is_refused():
    with pytest.raises(ValueError, match='train_solver'):
        _head(train_solver='qpth')


def test_autocast_runs_the_transport_in_float32():
    """bfloat16 weights would not sum to equal totals on both sides."""
    torch.manual_seed(0)
    head = _head().train()
    query, proto = torch.randn(4, 16, 3, 3), torch.randn(3, 16, 3, 3)
    expected = head.emd_logits(query, proto)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        logits = head.emd_logits(query.bfloat16(), proto.bfloat16())
    assert logits.dtype == torch.float32
    # Only the bfloat16 rounding of the features remains.
    torch.testing.assert_close(logits, expected, atol=0.05, rtol=0)
