# Copyright (c) mmpart contributors. All rights reserved.
from typing import List, Optional

import torch
import torch.nn.functional as F
from mmpretrain.models.classifiers import BaseClassifier
from mmpretrain.structures import DataSample


def check_episode(inputs: torch.Tensor, data_samples: List[DataSample],
                  num_ways: int, num_shots: int, num_queries: int) -> None:
    """Refuse a training batch that is not one episode in the
    ``EpisodicBatchSampler`` layout, since the episodic losses read the
    classes from the positions, not from the labels.

    Args:
        inputs (torch.Tensor): The batch.
        data_samples (list[DataSample]): Its samples, with labels.
        num_ways (int): N, classes in the episode.
        num_shots (int): K, supports per class.
        num_queries (int): Q, queries per class.

    Raises:
        ValueError: On a wrong size or order.
    """
    ways, shots, queries = num_ways, num_shots, num_queries
    expected = ways * (shots + queries)
    if inputs.size(0) != expected:
        raise ValueError(
            f'a training batch must be one {ways}-way {shots}-shot '
            f'episode with {queries} queries ({expected} samples, from '
            f'EpisodicBatchSampler), got {inputs.size(0)}')
    labels = torch.stack([s.gt_label[0] for s in data_samples])
    support_labels = labels[:ways * shots].view(ways, shots)
    query_labels = labels[ways * shots:].view(ways, queries)
    if not (bool((support_labels == support_labels[:, :1]).all())
            and torch.equal(query_labels[:, 0], support_labels[:, 0])):
        raise ValueError('the batch is not laid out as an episode '
                         '(supports class by class, then queries in the '
                         'same class order): use EpisodicBatchSampler')


class EpisodicClassifier(BaseClassifier):
    """What the few-shot classifiers share: a meta stage trained on one
    episode a batch, and a test that stores each input's feature for the
    episodic metric to draw episodes from.

    **Meta stage** (``loss``): a batch is one episode laid out by
    ``EpisodicBatchSampler``: the ``num_ways * num_shots`` supports class by
    class, then the ``num_ways * num_queries`` queries class by class
    (checked by :func:`check_episode`); the loss is the cross-entropy of the
    queries' logits from :meth:`episode_logits`, which a subclass defines.

    **Test** (``predict``): each data sample gets its feature
    (:meth:`extract_feat`) as ``embedding``.

    Args:
        num_ways (int): Classes per training episode.
        num_shots (int): Supports per class in training.
        num_queries (int): Queries per class in training.
        data_preprocessor (dict, optional): Defaults to
            ``ClsDataPreprocessor``.
        init_cfg (dict, optional): Initialisation.
    """

    def __init__(self,
                 num_ways: int,
                 num_shots: int,
                 num_queries: int,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        data_preprocessor = dict(data_preprocessor or {})
        data_preprocessor.setdefault('type', 'ClsDataPreprocessor')
        super().__init__(
            init_cfg=init_cfg, data_preprocessor=data_preprocessor)
        self.num_ways = num_ways
        self.num_shots = num_shots
        self.num_queries = num_queries

    def episode_logits(self, feats: torch.Tensor) -> torch.Tensor:
        """The queries' logits of one episode.

        Args:
            feats (torch.Tensor): The episode's features, supports first
                (``num_ways * num_shots``, class by class), then the
                queries.

        Returns:
            torch.Tensor: ``(num_ways * num_queries, num_ways)``.
        """
        raise NotImplementedError

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
        """The episode's cross-entropy.

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
        logits = self.episode_logits(self.extract_feat(inputs))
        target = torch.arange(
            self.num_ways, device=logits.device).repeat_interleave(
                self.num_queries)
        return dict(
            loss=F.cross_entropy(logits, target),
            accuracy=(logits.argmax(1) == target).float().mean().detach() *
            100)

    def predict(self,
                inputs: torch.Tensor,
                data_samples: Optional[List[DataSample]] = None
                ) -> List[DataSample]:
        """Each input's feature, as the data sample's ``embedding``.

        Args:
            inputs (torch.Tensor): The images.
            data_samples (list[DataSample], optional): Their samples.

        Returns:
            list[DataSample]: The samples with ``embedding``.
        """
        feats = self.extract_feat(inputs)
        if data_samples is None:
            data_samples = [DataSample() for _ in range(feats.size(0))]
        for sample, feat in zip(data_samples, feats):
            sample.set_field(feat, 'embedding', dtype=torch.Tensor)
        return data_samples
