# Copyright (c) mmpart contributors. All rights reserved.
"""DeepEMD's pieces: node weights, centred cosine, and both transport
solvers against a linear program."""
import math

import numpy as np
import pytest
import torch
from scipy.optimize import linprog

from mmpart.models.utils import (centred_cosine_similarity,
                                 cross_reference_weights, emd_flow_opencv,
                                 emd_flow_sinkhorn, normalise_node_weights)


def _problems(batch=3, nodes=4, channels=6, seed=0):
    """Transport problems from random local features, with DeepEMD's
    weights after its normalisation and its cost."""
    generator = torch.Generator().manual_seed(seed)
    query = torch.randn(batch, channels, 2, nodes // 2, generator=generator,
                        dtype=torch.float64)
    proto = torch.randn(batch, channels, 2, nodes // 2, generator=generator,
                        dtype=torch.float64)
    index = torch.arange(batch)
    supply = normalise_node_weights(
        cross_reference_weights(query, proto)[index, index])
    demand = normalise_node_weights(
        cross_reference_weights(proto, query)[index, index])
    cost = 1 - centred_cosine_similarity(query, proto)[index, index]
    return cost, supply, demand


def _linprog_cost(cost, supply, demand):
    """The optimal transport cost by a brute-force linear program over the
    n * m flows."""
    n, m = cost.shape
    rows = np.kron(np.eye(n), np.ones((1, m)))
    cols = np.kron(np.ones((1, n)), np.eye(m))
    result = linprog(cost.reshape(-1), A_eq=np.vstack([rows, cols]),
                     b_eq=np.concatenate([supply, demand]), bounds=(0, None),
                     method='highs')
    assert result.status == 0
    return result.fun


def test_cross_reference_weights_by_hand():
    # Query nodes (1, 0), (0, -1), (2, 3); the other image's mean is (1, 1).
    feats = torch.tensor([[1., 0., 2.], [0., -1., 3.]]).view(1, 2, 1, 3)
    others = torch.tensor([[0., 2.], [2., 0.]]).view(1, 2, 1, 2)
    weights = cross_reference_weights(feats, others)
    assert weights.shape == (1, 1, 3)
    torch.testing.assert_close(weights[0, 0],
                               torch.tensor([1 + 1e-3, 1e-3, 5 + 1e-3]))
    normalised = normalise_node_weights(weights)
    torch.testing.assert_close(normalised.sum(), torch.tensor(3.))
    torch.testing.assert_close(normalised / weights,
                               torch.full_like(weights, 3 / 6.003))


def test_cross_reference_weights_pair_every_image_with_every_other():
    feats, others = torch.randn(3, 5, 2, 2), torch.randn(4, 5, 3, 3)
    weights = cross_reference_weights(feats, others)
    assert weights.shape == (3, 4, 4)
    expected = (feats[1].flatten(1).T @ others[2].mean((1, 2))).clamp_min(0)
    torch.testing.assert_close(weights[1, 2], expected + 1e-3)


def test_similarity_is_the_cosine_of_centred_features():
    """One minus it is the cost; the cosine of channel-centred vectors is
    their Pearson correlation."""
    query, proto = torch.randn(2, 7, 2, 2), torch.randn(3, 7, 1, 3)
    similarity = centred_cosine_similarity(query, proto)
    assert similarity.shape == (2, 3, 4, 3)
    q = query[1].flatten(1).T.numpy()
    p = proto[2].flatten(1).T.numpy()
    expected = np.corrcoef(np.vstack([q, p]))[:4, 4:]
    np.testing.assert_allclose(similarity[1, 2].numpy(), expected,
                               atol=1e-5)
    # By hand: (1, 2, 3) centred is (-1, 0, 1), (3, 2, 1) is its opposite.
    line = torch.tensor([1., 2., 3.]).view(1, 3, 1, 1)
    torch.testing.assert_close(
        centred_cosine_similarity(line, line.flip(1)),
        torch.full((1, 1, 1, 1), -1.))


def test_opencv_flows_meet_marginals_and_the_linear_program():
    cost, supply, demand = _problems()
    flow = emd_flow_opencv(cost, supply, demand)
    assert flow.dtype == cost.dtype
    assert (flow >= 0).all()
    torch.testing.assert_close(flow.sum(2), supply, atol=1e-4, rtol=0)
    torch.testing.assert_close(flow.sum(1), demand, atol=1e-4, rtol=0)
    for index in range(len(cost)):
        expected = _linprog_cost(cost[index].numpy(), supply[index].numpy(),
                                 demand[index].numpy())
        assert float((flow[index] * cost[index]).sum()) == pytest.approx(
            expected, abs=1e-4)


@pytest.mark.parametrize('epsilon', [0.02, 0.002])
def test_sinkhorn_flows_meet_marginals_and_the_stated_bound(epsilon):
    cost, supply, demand = _problems()
    flow = emd_flow_sinkhorn(cost, supply, demand, epsilon, num_iters=2000)
    torch.testing.assert_close(flow.sum(2), supply, atol=1e-4, rtol=0)
    torch.testing.assert_close(flow.sum(1), demand, atol=1e-9, rtol=0)
    nodes = cost.shape[-1]
    # The documented bound: epsilon * total mass * log(min(n, m)).
    bound = epsilon * nodes * math.log(nodes)
    for index in range(len(cost)):
        expected = _linprog_cost(cost[index].numpy(), supply[index].numpy(),
                                 demand[index].numpy())
        gap = float((flow[index] * cost[index]).sum()) - expected
        assert -1e-4 <= gap <= bound


def test_sinkhorn_refuses_unequal_totals():
    with pytest.raises(ValueError, match='same totals'):
        emd_flow_sinkhorn(torch.rand(1, 2, 3), torch.ones(1, 2),
                          torch.ones(1, 3))


def test_gradients_flow_through_sinkhorn_flows():
    cost, supply, demand = _problems()
    cost.requires_grad_()
    supply.requires_grad_()
    flow = emd_flow_sinkhorn(cost, supply, demand)
    (flow * (1 - cost)).sum().backward()
    assert cost.grad.abs().sum() > 0
    # Moving mass between query nodes changes the score.
    assert supply.grad.std() > 0
    assert torch.isfinite(cost.grad).all() and torch.isfinite(
        supply.grad).all()
