# Copyright (c) mmpart contributors. All rights reserved.
from typing import Sequence

import torch

from mmpart.registry import METRICS, MODELS
from .episodic_accuracy import EpisodicAccuracy


@METRICS.register_module()
class DeepEMDEpisodicAccuracy(EpisodicAccuracy):
    """Few-shot accuracy of dense features over random episodes, each
    scored by DeepEMD (:class:`~mmpart.models.DeepEMDHead`, in eval mode:
    exact ``cv2.EMD`` flows, and the SFC for K > 1).

    Everything but the scoring is :class:`EpisodicAccuracy`'s: the same
    episodes for the same seed and sampler, the same keys and intervals.
    The model (:class:`~mmpart.models.DeepEMDClassifier`) puts each
    image's dense map in ``embedding``.

    The scoring is one episode at a time on the CPU, and costly: a 5-way
    15-query episode solves 375 transport problems, and with 5 shots the
    SFC adds 100 passes of 7 SGD steps, each a batch of 4 supports against
    5 prototypes. The official script tests 25 episodes after training
    (``-test_episode``); set ``num_episodes`` to what the time allows.

    Args:
        head (dict): The scoring. Defaults to ``DeepEMDHead`` with the
            official settings; give the model's own head settings.
        **kwargs: :class:`EpisodicAccuracy`'s arguments.

    Examples:
        >>> from mmpart.registry import METRICS
        >>> metric = METRICS.build(dict(
        ...     type='DeepEMDEpisodicAccuracy', num_shots=1, num_episodes=25))
    """

    def __init__(self, head: dict = dict(type='DeepEMDHead'), **kwargs):
        super().__init__(**kwargs)
        self.head = MODELS.build(head).eval()

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        """Keep each sample's index, dense feature map and label (on the
        CPU).

        Args:
            data_batch: The batch (unused).
            data_samples (Sequence[dict]): Samples with ``embedding`` (a
                ``(C, h, w)`` tensor), ``gt_label`` and ``sample_idx``.
        """
        for sample in data_samples:
            self.results.append(
                (int(sample['sample_idx']),
                 sample['embedding'].detach().float().cpu(),
                 int(sample['gt_label'].reshape(-1).item())))

    def _episode_accuracies(self, features: torch.Tensor,
                            episodes: list) -> torch.Tensor:
        """The accuracy (percent) of each episode, by DeepEMD's logits.

        Args:
            features (torch.Tensor): ``(M, C, h, w)`` feature maps.
            episodes (list[Episode]): Episodes indexing ``features``.

        Returns:
            torch.Tensor: ``(E,)`` accuracies.
        """
        accuracies = []
        for episode in episodes:
            support = torch.from_numpy(episode.support)
            query = torch.from_numpy(episode.query)
            num_ways, num_queries = query.shape
            target = torch.arange(num_ways).repeat_interleave(num_queries)
            logits = self.head.episode_logits(features[support],
                                              features[query.flatten()])
            accuracies.append(
                (logits.argmax(1) == target).float().mean() * 100)
        return torch.stack(accuracies)
