# Copyright (c) mmpart contributors. All rights reserved.
from typing import Optional, Sequence, Union

import torch
from mmengine.evaluator import BaseMetric

from mmpart.datasets.episodes import metabaseline_episodes, sample_episodes
from mmpart.evaluation.functional import mean_and_ci95, mean_and_t_ci95
from mmpart.registry import METRICS

#: Most values (similarities and support features) held at once; episodes
#: are scored in chunks below it (32 MiB of float32).
_MAX_VALUES = 1 << 23
#: The episode draws ``EpisodicAccuracy`` can use, by name.
EPISODE_SAMPLERS = dict(mmpart=sample_episodes,
                        metabaseline=metabaseline_episodes)
#: The 95 % intervals ``EpisodicAccuracy`` can report, by name.
INTERVALS = dict(normal=mean_and_ci95, t=mean_and_t_ci95)


@METRICS.register_module()
class EpisodicAccuracy(BaseMetric):
    """Few-shot accuracy of frozen features over random episodes, with a
    prototype classifier on cosine similarity (MetaBaseline's evaluation).

    The model puts a feature vector in each data sample's ``embedding``.
    In each N-way K-shot episode (:func:`~mmpart.datasets.episodes.
    sample_episodes`) the prototype of a class is the mean of its K
    support features, and each query is predicted as the class whose
    prototype has the highest cosine similarity, as MetaBaseline evaluates
    and as :class:`~mmpart.models.PrototypeClassifier` trains. The accuracy
    of an episode is the percentage of its N * Q queries predicted right;
    the metric reports the mean over the episodes and the 95 % confidence
    half-width (:func:`~mmpart.evaluation.functional.mean_and_ci95`):
    ``'{N}way_{K}shot_accuracy'`` and ``'{N}way_{K}shot_ci95'`` for each K.

    **The official protocol.** The paper's numbers come from the official
    MetaBaseline test, which differs in its draw and its interval:
    ``sampler='metabaseline', interval='t', episodes_per_batch=4,
    num_episodes=8000`` reproduces it (10 test epochs of 200 batches of 4
    episodes, :func:`~mmpart.datasets.episodes.metabaseline_episodes`
    seeded with ``seed=0``, the t-interval of the 2000 batch accuracies,
    :func:`~mmpart.evaluation.functional.mean_and_t_ci95`). Each K starts
    from the seed, as the official 1-shot and 5-shot runs each do.

    The samples are sorted by ``sample_idx`` before the episodes are drawn,
    so the episodes depend on the dataset and the seed only, not on the
    batch size or the number of ranks, and every model meets the same ones.

    Args:
        num_ways (int): N, classes per episode. Defaults to 5.
        num_shots (int | Sequence[int]): The K to evaluate, each with its
            own episodes. Defaults to ``(1, 5)``.
        num_queries (int): Q, queries per class. Defaults to 15.
        num_episodes (int): Episodes per K. Defaults to 2000.
        seed (int): Seed of the episodes. Defaults to 0.
        sampler (str): How episodes are drawn: ``'mmpart'``
            (:func:`~mmpart.datasets.episodes.sample_episodes`) or
            ``'metabaseline'`` (the official draw). Defaults to
            ``'mmpart'``.
        interval (str): ``'normal'`` (``1.96 * std / sqrt(n)``) or ``'t'``
            (Student's t with ``scipy.stats.sem``). Defaults to
            ``'normal'``.
        episodes_per_batch (int): The interval is taken over the mean
            accuracies of consecutive groups of this many episodes, as the
            official test takes it over its batches of 4; it must divide
            ``num_episodes``. The reported mean is the same for any group
            size. Defaults to 1.
        collect_device (str): Defaults to ``'cpu'``.
        prefix (str, optional): Key prefix. Defaults to ``'fewshot'``.

    Examples:
        >>> import torch
        >>> from mmpart.evaluation import EpisodicAccuracy
        >>> metric = EpisodicAccuracy(
        ...     num_ways=2, num_shots=1, num_queries=2, num_episodes=10)
        >>> # Four images of each of three classes, embedded at their
        >>> # class's corner: every query is right.
        >>> metric.process(None, [
        ...     dict(sample_idx=i, gt_label=torch.tensor([i % 3]),
        ...          embedding=torch.eye(3)[i % 3]) for i in range(12)])
        >>> metric.evaluate(12)
        {'fewshot/2way_1shot_accuracy': 100.0, 'fewshot/2way_1shot_ci95': 0.0}
    """
    default_prefix = 'fewshot'

    def __init__(self,
                 num_ways: int = 5,
                 num_shots: Union[int, Sequence[int]] = (1, 5),
                 num_queries: int = 15,
                 num_episodes: int = 2000,
                 seed: int = 0,
                 sampler: str = 'mmpart',
                 interval: str = 'normal',
                 episodes_per_batch: int = 1,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = 'fewshot') -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.num_ways = num_ways
        if isinstance(num_shots, int):
            num_shots = (num_shots, )
        self.num_shots = tuple(num_shots)
        if not self.num_shots:
            raise ValueError('EpisodicAccuracy needs at least one num_shots')
        self.num_queries = num_queries
        self.num_episodes = num_episodes
        self.seed = seed
        for name, value, choices in (('sampler', sampler, EPISODE_SAMPLERS),
                                     ('interval', interval, INTERVALS)):
            if value not in choices:
                raise ValueError(f'EpisodicAccuracy: {name} must be one of '
                                 f'{sorted(choices)}, got {value!r}')
        if episodes_per_batch < 1 or num_episodes % episodes_per_batch:
            raise ValueError(
                f'EpisodicAccuracy: episodes_per_batch ({episodes_per_batch})'
                f' must divide num_episodes ({num_episodes})')
        self.sampler = sampler
        self.interval = interval
        self.episodes_per_batch = episodes_per_batch

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        """Keep each sample's index, feature and label (on the CPU).

        Args:
            data_batch: The batch (unused).
            data_samples (Sequence[dict]): Samples with ``embedding`` (a
                ``(D,)`` tensor), ``gt_label`` (a tensor of one label) and
                ``sample_idx``.
        """
        for sample in data_samples:
            self.results.append(
                (int(sample['sample_idx']),
                 sample['embedding'].detach().float().cpu().reshape(-1),
                 int(sample['gt_label'].reshape(-1).item())))

    def compute_metrics(self, results: list) -> dict:
        """Score the episodes of each K.

        Args:
            results (list): ``(sample_idx, embedding, label)`` per sample,
                from all ranks.

        Returns:
            dict: ``'{N}way_{K}shot_accuracy'`` and ``'{N}way_{K}shot_ci95'``
            (percent) for each K.
        """
        results = sorted(results, key=lambda result: result[0])
        indices = [result[0] for result in results]
        if len(set(indices)) != len(indices):
            raise ValueError('EpisodicAccuracy: repeated sample_idx among '
                             'the results; each sample must come once')
        features = torch.stack([result[1] for result in results])
        labels = [result[2] for result in results]
        metrics = {}
        for num_shots in self.num_shots:
            episodes = EPISODE_SAMPLERS[self.sampler](
                labels, self.num_ways, num_shots, self.num_queries,
                self.num_episodes, self.seed)
            accuracies = self._episode_accuracies(features, episodes).double()
            accuracy, ci95 = INTERVALS[self.interval](
                accuracies.reshape(-1, self.episodes_per_batch).mean(
                    dim=1).numpy())
            name = f'{self.num_ways}way_{num_shots}shot'
            metrics[f'{name}_accuracy'] = accuracy
            metrics[f'{name}_ci95'] = ci95
        return metrics

    def _episode_accuracies(self, features: torch.Tensor,
                            episodes: list) -> torch.Tensor:
        """The accuracy (percent) of each episode.

        Everything comes from the sums of the support features' dot
        products with all samples, ``rows[e, w, m] = sum_k <f_support[e, w,
        k], f_m>``: at the queries' columns they are K times the dot
        products with the prototypes, at the supports' columns they sum to
        K² times the prototypes' squared norms. Their ratio ranks the ways
        as the cosine does, since the query's own norm is the same for all
        of them. With a sample-by-sample Gram matrix
        (when it fits in :data:`_MAX_VALUES`), ``rows`` is a gather of ``K``
        of its rows, independent of the feature size: 2000 episodes of 100
        samples take a fraction of a second. Otherwise it is the summed
        support features times all features.

        Args:
            features (torch.Tensor): ``(M, D)`` features.
            episodes (list[Episode]): Episodes indexing ``features``.

        Returns:
            torch.Tensor: ``(E,)`` accuracies.
        """
        support = torch.stack(
            [torch.from_numpy(episode.support) for episode in episodes])
        query = torch.stack(
            [torch.from_numpy(episode.query) for episode in episodes])
        num_episodes, num_ways, num_shots = support.shape
        # Way w's queries are labelled w, in the (N, Q) order of the query.
        target = torch.arange(num_ways).repeat_interleave(query.shape[2])
        num_samples, dim = features.shape
        gram = features @ features.T \
            if num_samples * num_samples <= _MAX_VALUES else None
        chunk = max(
            1, _MAX_VALUES // (num_ways * num_shots *
                               max(num_samples, dim if gram is None else 0)))
        accuracies = []
        for first in range(0, num_episodes, chunk):
            supports = support[first:first + chunk]
            if gram is None:
                rows = features[supports].sum(dim=2) @ features.T
            else:
                rows = gram[supports].sum(dim=2)
            norms = rows.gather(2, supports).sum(dim=2).sqrt()
            queries = query[first:first + chunk].flatten(1)
            # (e, N * Q, N): each query's dot with each prototype.
            dots = rows.transpose(1, 2)[torch.arange(len(rows))[:, None],
                                        queries]
            pred = (dots / norms.clamp_min(1e-12)[:, None]).argmax(dim=2)
            accuracies.append((pred == target).float().mean(dim=1) * 100)
        return torch.cat(accuracies)
