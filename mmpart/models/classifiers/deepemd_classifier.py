# Copyright (c) mmpart contributors. All rights reserved.
from typing import Optional

import torch

from mmpart.registry import MODELS
from .episodic_classifier import EpisodicClassifier


@MODELS.register_module()
class DeepEMDClassifier(EpisodicClassifier):
    """DeepEMD, its fully convolutional variant (Zhang et al., "DeepEMD:
    Few-Shot Image Classification with Differentiable Earth Mover's Distance
    and Structured Classifiers", CVPR 2020), as PIN++'s few-shot benchmark
    runs it.

    **Features.** The backbone's last output, kept dense: ResNet-12 at 84
    px gives 5 x 5 local features (nodes) of 640 channels. A classifier
    checkpoint (``ImageClassifier``, ``MPMClassifier``) loads into it:
    ``backbone.*`` matches, its head and bypass are left out.

    **Meta stage** (``loss``): one episode in the ``EpisodicBatchSampler``
    layout; the cross-entropy of the queries' logits from
    :class:`~mmpart.models.DeepEMDHead`, which holds the transport problem,
    the solvers and the SFC. With K shots the SFC is fitted on detached
    supports, as in the official code: only the queries train the
    backbone.

    **Test** (``predict``): each data sample gets its dense feature map as
    ``embedding``; :class:`~mmpart.evaluation.DeepEMDEpisodicAccuracy`
    scores the episodes with the same head.

    Args:
        backbone (dict): The backbone; its last output must be dense.
        head (dict): The scoring. Defaults to ``DeepEMDHead`` with the
            official settings.
        num_ways (int): Classes per training episode. Defaults to 5.
        num_shots (int): Supports per class in training. Defaults to 1.
        num_queries (int): Queries per class in training. Defaults to 15.
        data_preprocessor (dict, optional): Defaults to
            ``ClsDataPreprocessor``.
        init_cfg (dict, optional): Initialisation.

    Examples:
        >>> from mmpart.registry import MODELS
        >>> model = MODELS.build(dict(
        ...     type='DeepEMDClassifier', num_ways=5, num_shots=1,
        ...     backbone=dict(type='ResNet12', channels=(64, 160, 320, 640))))
    """

    def __init__(self,
                 backbone: dict,
                 head: dict = dict(type='DeepEMDHead'),
                 num_ways: int = 5,
                 num_shots: int = 1,
                 num_queries: int = 15,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(num_ways, num_shots, num_queries,
                         data_preprocessor, init_cfg)
        self.backbone = MODELS.build(backbone)
        self.head = MODELS.build(head)

    def extract_feat(self, inputs: torch.Tensor) -> torch.Tensor:
        """The dense feature map of each input.

        Args:
            inputs (torch.Tensor): ``(B, 3, H, W)`` images.

        Returns:
            torch.Tensor: ``(B, C, h, w)``.
        """
        return self.backbone(inputs)[-1]

    def episode_logits(self, feats: torch.Tensor) -> torch.Tensor:
        """The queries' logits from the head's transport problem against
        the supports (the SFC with K shots).

        Args:
            feats (torch.Tensor): The episode's dense features, supports
                first.

        Returns:
            torch.Tensor: ``(num_ways * num_queries, num_ways)``.
        """
        supports = self.num_ways * self.num_shots
        return self.head.episode_logits(
            feats[:supports].unflatten(0, (self.num_ways, self.num_shots)),
            feats[supports:])
