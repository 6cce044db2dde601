# Copyright (c) mmpart contributors. All rights reserved.
from typing import List, Optional

import torch
import torch.nn.functional as F
from mmpretrain.models.classifiers import BaseClassifier
from mmpretrain.structures import DataSample

from mmpart.registry import MODELS
from .prototype_classifier import check_episode


@MODELS.register_module()
class DeepEMDClassifier(BaseClassifier):
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
        data_preprocessor = dict(data_preprocessor or {})
        data_preprocessor.setdefault('type', 'ClsDataPreprocessor')
        super().__init__(
            init_cfg=init_cfg, data_preprocessor=data_preprocessor)
        self.backbone = MODELS.build(backbone)
        self.head = MODELS.build(head)
        self.num_ways = num_ways
        self.num_shots = num_shots
        self.num_queries = num_queries

    def extract_feat(self, inputs: torch.Tensor) -> torch.Tensor:
        """The dense feature map of each input.

        Args:
            inputs (torch.Tensor): ``(B, 3, H, W)`` images.

        Returns:
            torch.Tensor: ``(B, C, h, w)``.
        """
        return self.backbone(inputs)[-1]

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[List[DataSample]] = None,
                mode: str = 'tensor'):
        if mode == 'tensor':
            return self.extract_feat(inputs)
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        raise RuntimeError(f'Invalid mode "{mode}".')

    def loss(self, inputs: torch.Tensor,
             data_samples: List[DataSample]) -> dict:
        """The episode's cross-entropy (DeepEMD's meta stage).

        Args:
            inputs (torch.Tensor): One episode in the
                ``EpisodicBatchSampler`` layout.
            data_samples (list[DataSample]): Their samples (their labels
                check the layout).

        Returns:
            dict: ``loss`` and ``accuracy`` (queries, percent).
        """
        check_episode(inputs, data_samples, self.num_ways, self.num_shots,
                      self.num_queries)
        ways, shots, queries = self.num_ways, self.num_shots, self.num_queries
        feats = self.extract_feat(inputs)
        support = feats[:ways * shots].unflatten(0, (ways, shots))
        logits = self.head.episode_logits(support, feats[ways * shots:])
        target = torch.arange(ways, device=logits.device).repeat_interleave(
            queries)
        return dict(
            loss=F.cross_entropy(logits, target),
            accuracy=(logits.argmax(1) == target).float().mean().detach() *
            100)

    def predict(self,
                inputs: torch.Tensor,
                data_samples: Optional[List[DataSample]] = None
                ) -> List[DataSample]:
        """Each input's dense feature map, as the data sample's
        ``embedding``.

        Args:
            inputs (torch.Tensor): The images.
            data_samples (list[DataSample], optional): Their samples.

        Returns:
            list[DataSample]: The samples with ``embedding`` (C, h, w).
        """
        feats = self.extract_feat(inputs)
        if data_samples is None:
            data_samples = [DataSample() for _ in range(feats.size(0))]
        for sample, feat in zip(data_samples, feats):
            sample.set_field(feat, 'embedding', dtype=torch.Tensor)
        return data_samples
