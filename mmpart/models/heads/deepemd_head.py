# Copyright (c) mmpart contributors. All rights reserved.
import torch
import torch.nn.functional as F
from mmengine.model import BaseModule

from mmpart.registry import MODELS
from ..utils.emd import (centred_cosine_similarity, cross_reference_weights,
                         emd_flow_opencv, emd_flow_sinkhorn,
                         normalise_node_weights)


@MODELS.register_module()
class DeepEMDHead(BaseModule):
    """DeepEMD's episode scoring (Zhang et al., "DeepEMD: Few-Shot Image
    Classification with Differentiable Earth Mover's Distance and
    Structured Classifiers", CVPR 2020), on dense features; it has no
    learnable parameters. :class:`~mmpart.models.DeepEMDClassifier` trains
    through it and :class:`~mmpart.evaluation.DeepEMDEpisodicAccuracy`
    tests with it.

    **Score of a query against a prototype.** The transport problem moves
    the query's node weights (supplies) onto the prototype's (demands):

    - node weights by cross reference (:func:`~mmpart.models.utils.emd.
      cross_reference_weights`), each side against the other's mean
      feature, scaled to sum to the number of nodes;
    - cost ``1 - cos`` of the channel-centred node features
      (:func:`~mmpart.models.utils.emd.centred_cosine_similarity`);
    - logits ``sum(flow * similarity) * temperature / nodes``.

    The flows are exact in eval mode (OpenCV's ``cv2.EMD``) and constant to
    autograd there. In training mode, ``train_solver='sinkhorn'`` trains
    through entropic flows (:func:`~mmpart.models.utils.emd.
    emd_flow_sinkhorn`), so the gradient reaches the node weights too;
    ``'opencv'`` keeps the exact flows, with the gradient through the
    similarities only (the official script's default).

    **Prototypes.** One shot: the support itself. K shots: the structured
    fully-connected layer (SFC), a dense prototype per class, started from
    the mean support feature and fitted to the episode's supports by SGD
    on their DeepEMD cross-entropy (``sfc_steps`` passes over the shuffled
    supports in batches of ``sfc_batch_size``, momentum 0.9, dampening 0.9,
    no weight decay). The supports are detached there, as in the official
    code.

    Args:
        temperature (float): Logit scale. Defaults to 12.5.
        train_solver (str): ``'sinkhorn'`` or ``'opencv'``, the flows in
            training mode. Defaults to ``'sinkhorn'``.
        sinkhorn_epsilon (float): Entropic regularisation of the training
            flows. Defaults to 0.02.
        sinkhorn_iters (int): Sinkhorn iterations. Defaults to 200.
        sfc_lr (float): SFC learning rate. Defaults to 0.1.
        sfc_steps (int): Passes over the supports. Defaults to 100.
        sfc_batch_size (int): Supports per SFC step. Defaults to 4.
        init_cfg (dict, optional): Initialisation.

    Examples:
        >>> import torch
        >>> from mmpart.registry import MODELS
        >>> head = MODELS.build(dict(type='DeepEMDHead')).eval()
        >>> support, query = torch.randn(5, 1, 64, 5, 5), torch.randn(
        ...     75, 64, 5, 5)
        >>> head.episode_logits(support, query).shape
        torch.Size([75, 5])
    """

    SOLVERS = ('sinkhorn', 'opencv')

    def __init__(self,
                 temperature: float = 12.5,
                 train_solver: str = 'sinkhorn',
                 sinkhorn_epsilon: float = 0.02,
                 sinkhorn_iters: int = 200,
                 sfc_lr: float = 0.1,
                 sfc_steps: int = 100,
                 sfc_batch_size: int = 4,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        if train_solver not in self.SOLVERS:
            raise ValueError(f'train_solver must be one of {self.SOLVERS}, '
                             f'got {train_solver!r}')
        self.temperature = temperature
        self.train_solver = train_solver
        self.sinkhorn_epsilon = sinkhorn_epsilon
        self.sinkhorn_iters = sinkhorn_iters
        self.sfc_lr = sfc_lr
        self.sfc_steps = sfc_steps
        self.sfc_batch_size = sfc_batch_size

    def emd_logits(self, query: torch.Tensor,
                   proto: torch.Tensor) -> torch.Tensor:
        """DeepEMD's logits of each query against each prototype.

        Args:
            query (torch.Tensor): ``(Q, C, H, W)`` query features.
            proto (torch.Tensor): ``(P, C, H, W)`` prototype features.

        Returns:
            torch.Tensor: ``(Q, P)`` logits, in float32 at least.
        """
        # Under autocast, half-precision weights would not sum to the same
        # totals on both sides (bfloat16 keeps 8 bits), which Sinkhorn
        # refuses; the head is cheap next to the backbone, so it runs in
        # float32.
        with torch.autocast(query.device.type, enabled=False):
            dtype = torch.promote_types(query.dtype, torch.float32)
            return self._emd_logits(query.to(dtype), proto.to(dtype))

    def _emd_logits(self, query: torch.Tensor,
                    proto: torch.Tensor) -> torch.Tensor:
        """:meth:`emd_logits` in the inputs' precision."""
        supply = cross_reference_weights(query, proto).flatten(0, 1)
        demand = cross_reference_weights(proto, query).transpose(0, 1)
        supply = normalise_node_weights(supply)
        demand = normalise_node_weights(demand.flatten(0, 1))
        similarity = centred_cosine_similarity(query, proto)
        cost = (1 - similarity).flatten(0, 1)
        if self.training and self.train_solver == 'sinkhorn':
            flow = emd_flow_sinkhorn(cost, supply, demand,
                                     self.sinkhorn_epsilon,
                                     self.sinkhorn_iters)
        else:
            flow = emd_flow_opencv(cost, supply, demand)
        scale = self.temperature / similarity.shape[-2]
        return (flow.view_as(similarity) * similarity).sum((-2, -1)) * scale

    def fit_sfc(self, support: torch.Tensor) -> torch.Tensor:
        """The structured fully-connected layer: one dense prototype per
        class, fitted to the supports.

        Args:
            support (torch.Tensor): ``(N, K, C, H, W)`` support features,
                class by class.

        Returns:
            torch.Tensor: ``(N, C, H, W)`` prototypes, detached.
        """
        ways, shots = support.shape[:2]
        sfc = support.detach().mean(1).clone().requires_grad_()
        optimizer = torch.optim.SGD([sfc],
                                    lr=self.sfc_lr,
                                    momentum=0.9,
                                    dampening=0.9,
                                    weight_decay=0)
        supports = support.detach().flatten(0, 1)
        labels = torch.arange(
            ways, device=support.device).repeat_interleave(shots)
        with torch.enable_grad():
            for _ in range(self.sfc_steps):
                order = torch.randperm(ways * shots, device=support.device)
                for batch in order.split(self.sfc_batch_size):
                    optimizer.zero_grad()
                    F.cross_entropy(
                        self.emd_logits(supports[batch], sfc),
                        labels[batch]).backward()
                    optimizer.step()
        return sfc.detach()

    def episode_logits(self, support: torch.Tensor,
                       query: torch.Tensor) -> torch.Tensor:
        """The logits of an episode's queries over its classes.

        Args:
            support (torch.Tensor): ``(N, K, C, H, W)`` support features,
                class by class.
            query (torch.Tensor): ``(Q, C, H, W)`` query features.

        Returns:
            torch.Tensor: ``(Q, N)`` logits.
        """
        if support.shape[1] == 1:
            return self.emd_logits(query, support[:, 0])
        return self.emd_logits(query, self.fit_sfc(support))
