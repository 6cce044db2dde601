# Copyright (c) mmpart contributors. All rights reserved.
"""The pieces of DeepEMD (Zhang et al., "DeepEMD: Few-Shot Image
Classification with Differentiable Earth Mover's Distance and Structured
Classifiers", CVPR 2020): node weights, the node-to-node similarity and two
solvers of the transport problem between two sets of local features."""
import cv2
import numpy as np
import torch
import torch.nn.functional as F

#: Added to the clipped node weights so that no node is left without mass
#: (a transport problem needs positive supplies); DeepEMD's value.
NODE_WEIGHT_FLOOR = 1e-3


def cross_reference_weights(feats: torch.Tensor,
                            others: torch.Tensor) -> torch.Tensor:
    """DeepEMD's cross-reference node weights: how much each local feature
    of one image agrees with the mean feature of another.

    ``w[m, n, i] = max(0, <feats[m, :, i], mean_j others[n, :, j]>) +``
    :data:`NODE_WEIGHT_FLOOR`, on the raw (not centred) features. A node
    that the other image's content does not support (background, a
    different object) gets little mass to move, so it weighs little in the
    distance.

    Args:
        feats (torch.Tensor): ``(M, C, H, W)`` local features whose nodes
            are weighted.
        others (torch.Tensor): ``(N, C, H', W')`` the images they are
            compared with.

    Returns:
        torch.Tensor: ``(M, N, H * W)`` weights.
    """
    context = others.flatten(2).mean(dim=2)
    dots = torch.einsum('mci,nc->mni', feats.flatten(2), context)
    return F.relu(dots) + NODE_WEIGHT_FLOOR


def normalise_node_weights(weights: torch.Tensor) -> torch.Tensor:
    """Scale each weight vector to sum to its number of nodes, as DeepEMD
    does before both of its solvers, so that each side holds one unit of
    mass per node on average.

    Args:
        weights (torch.Tensor): ``(..., n)`` positive weights.

    Returns:
        torch.Tensor: ``(..., n)`` weights summing to ``n``.
    """
    return weights * (weights.shape[-1] / weights.sum(-1, keepdim=True))


def centred_cosine_similarity(query: torch.Tensor,
                              proto: torch.Tensor) -> torch.Tensor:
    """Cosine similarity of every query node with every prototype node,
    each feature vector first centred by the mean of its own channels
    (DeepEMD's ``norm='center'``). The transport cost is one minus it.

    Args:
        query (torch.Tensor): ``(Q, C, H, W)`` query features.
        proto (torch.Tensor): ``(P, C, H', W')`` prototype features.

    Returns:
        torch.Tensor: ``(Q, P, H * W, H' * W')`` similarities.
    """

    def unit(x):
        x = x.flatten(2)
        return F.normalize(x - x.mean(dim=1, keepdim=True), dim=1)

    return torch.einsum('qci,pcj->qpij', unit(query), unit(proto))


def emd_flow_opencv(cost: torch.Tensor, supply: torch.Tensor,
                    demand: torch.Tensor) -> torch.Tensor:
    """Exact optimal flows from OpenCV's network simplex (``cv2.EMD``), one
    problem at a time on the CPU; no gradient flows through them.

    Args:
        cost (torch.Tensor): ``(B, n, m)`` costs.
        supply (torch.Tensor): ``(B, n)`` positive supplies.
        demand (torch.Tensor): ``(B, m)`` positive demands.

    Returns:
        torch.Tensor: ``(B, n, m)`` flows, on ``cost``'s device and dtype.
    """
    costs = cost.detach().float().cpu().numpy()
    supplies = supply.detach().float().cpu().numpy()
    demands = demand.detach().float().cpu().numpy()
    flows = np.empty_like(costs)
    for index, (cost_i, supply_i, demand_i) in enumerate(
            zip(costs, supplies[..., None], demands[..., None])):
        _, _, flows[index] = cv2.EMD(supply_i, demand_i, cv2.DIST_USER,
                                     cost_i)
    return torch.from_numpy(flows).to(cost)


def emd_flow_sinkhorn(cost: torch.Tensor,
                      supply: torch.Tensor,
                      demand: torch.Tensor,
                      epsilon: float = 0.02,
                      num_iters: int = 200) -> torch.Tensor:
    """Entropic optimal flows by log-domain Sinkhorn iterations (Cuturi,
    NeurIPS 2013), differentiable by unrolling.

    The flows solve ``min <cost, P> - epsilon * H(P)`` over the ``P >= 0``
    whose rows sum to ``supply`` and columns to ``demand``. Each iteration
    fits the row sums then the column sums, so the column sums are exact
    and the row sums converge. With a total mass ``M``, the transport cost
    of the entropic flows exceeds the optimum by at most ``epsilon * M *
    log(min(n, m))``, and typically by far less.

    Args:
        cost (torch.Tensor): ``(B, n, m)`` costs.
        supply (torch.Tensor): ``(B, n)`` positive supplies.
        demand (torch.Tensor): ``(B, m)`` positive demands with the same
            totals.
        epsilon (float): Entropic regularisation, in units of the cost.
            Defaults to 0.02.
        num_iters (int): Sinkhorn iterations. Defaults to 200.

    Returns:
        torch.Tensor: ``(B, n, m)`` flows, in ``cost``'s dtype.
    """
    if num_iters < 1:
        raise ValueError(f'num_iters must be positive, got {num_iters}')
    totals = supply.sum(-1), demand.sum(-1)
    if not torch.allclose(*totals, rtol=1e-4):
        raise ValueError(f'Sinkhorn flows need supplies and demands of the '
                         f'same totals, got {totals[0].tolist()} and '
                         f'{totals[1].tolist()}')
    # Half precision would round the log-domain sums (cost / epsilon is
    # up to 100 at the default epsilon): at least float32 inside.
    dtype = torch.promote_types(cost.dtype, torch.float32)
    kernel = -cost.to(dtype) / epsilon
    log_supply, log_demand = supply.to(dtype).log(), demand.to(dtype).log()
    log_v = torch.zeros_like(log_demand)
    for _ in range(num_iters):
        log_u = log_supply - torch.logsumexp(kernel + log_v[:, None], dim=2)
        log_v = log_demand - torch.logsumexp(
            kernel + log_u[:, :, None], dim=1)
    return torch.exp(kernel + log_u[:, :, None] + log_v[:, None]).to(cost)
