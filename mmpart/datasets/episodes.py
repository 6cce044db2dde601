# Copyright (c) mmpart contributors. All rights reserved.
"""Few-shot episodes: N classes, K support and Q query samples of each.

:func:`sample_episodes` draws the evaluation episodes (the same for every
model evaluated on the same labels) and :class:`EpisodicBatchSampler`
feeds episodes to episodic training (MetaBaseline's meta stage).
:func:`metabaseline_episodes` draws the episodes of the official PIN++
MetaBaseline test instead.
"""
from typing import Iterator, List, NamedTuple, Optional, Sequence

import numpy as np
from mmengine.dist import get_dist_info, sync_random_seed
from torch.utils.data import Sampler

from mmpart.registry import DATA_SAMPLERS

#: Most random keys drawn at once (32 MiB of float64); episodes are drawn in
#: chunks below it, so memory stays bounded for big classes.
_MAX_KEYS = 1 << 22


class Episode(NamedTuple):
    """One few-shot episode.

    Args:
        classes (np.ndarray): ``(N,)`` labels of the episode's classes; way
            ``i`` of the episode is class ``classes[i]``.
        support (np.ndarray): ``(N, K)`` dataset indices, row ``i`` from
            class ``classes[i]``.
        query (np.ndarray): ``(N, Q)`` dataset indices, row ``i`` from
            class ``classes[i]``; none of them in ``support`` in the
            episodes of :func:`sample_episodes` (the official MetaBaseline
            draw, :func:`metabaseline_episodes`, allows repeats).
    """
    classes: np.ndarray
    support: np.ndarray
    query: np.ndarray


def _as_labels(labels: Sequence[int]) -> np.ndarray:
    """``labels`` as a 1-D integer array, or a ValueError."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or (labels.size and not np.issubdtype(
            labels.dtype, np.integer)):
        raise ValueError('episodes need one integer label per sample, got '
                         f'an array of shape {labels.shape} and dtype '
                         f'{labels.dtype}')
    return labels


def _draw_episodes(labels: np.ndarray, num_ways: int, num_shots: int,
                   num_queries: int, num_episodes: int,
                   rng: np.random.Generator) -> List[Episode]:
    """Draw episodes with ``rng`` (see :func:`sample_episodes`).

    Every sample of a class gets a random key and the ``K + Q`` smallest
    keys are taken, for all episodes of a chunk at once: batched, and the
    same draws on every platform (a stable sort, no selection algorithm
    whose tie order could change between numpy versions).
    """
    for name, value in (('num_ways', num_ways), ('num_shots', num_shots),
                        ('num_queries', num_queries),
                        ('num_episodes', num_episodes)):
        if value < 1:
            raise ValueError(f'{name} must be positive, got {value}')
    per_class = num_shots + num_queries
    classes, counts = np.unique(labels, return_counts=True)
    eligible = classes[counts >= per_class]
    if len(eligible) < num_ways:
        raise ValueError(
            f'{num_ways}-way episodes with {num_shots} support and '
            f'{num_queries} query samples need {num_ways} classes with at '
            f'least {per_class} samples; {len(eligible)} of the '
            f'{len(classes)} classes have that many')
    # members[c, :counts[c]]: the dataset indices of eligible class c.
    eligible_counts = counts[counts >= per_class]
    members = np.zeros((len(eligible), eligible_counts.max()), dtype=np.int64)
    order = np.argsort(labels, kind='stable')
    starts = np.searchsorted(labels[order], eligible)
    for row, (start, count) in enumerate(zip(starts, eligible_counts)):
        members[row, :count] = order[start:start + count]
    positions = np.arange(members.shape[1])

    episodes = []
    chunk = max(1, _MAX_KEYS // (num_ways * members.shape[1] + len(eligible)))
    for first in range(0, num_episodes, chunk):
        size = min(chunk, num_episodes - first)
        ways = np.argsort(
            rng.random((size, len(eligible))), axis=1,
            kind='stable')[:, :num_ways]
        keys = rng.random((size, num_ways, members.shape[1]))
        # Padding positions past a class's count sort last.
        keys[positions >= eligible_counts[ways][..., None]] = 2.0
        picks = np.argsort(keys, axis=2, kind='stable')[..., :per_class]
        indices = members[ways[..., None], picks]
        for i in range(size):
            episodes.append(
                Episode(eligible[ways[i]], indices[i, :, :num_shots],
                        indices[i, :, num_shots:]))
    return episodes


def sample_episodes(labels: Sequence[int], num_ways: int, num_shots: int,
                    num_queries: int, num_episodes: int,
                    seed: int = 0) -> List[Episode]:
    """Draw few-shot episodes from labelled samples.

    Each episode draws ``N`` distinct classes among those with at least
    ``K + Q`` samples, then ``K + Q`` distinct samples of each class: the
    first ``K`` are its support, the other ``Q`` its queries.

    The generator is ``np.random.default_rng([seed, N, K, Q])``: the
    episodes depend on the labels and the arguments only, so every model
    evaluated on the same samples meets the same episodes, and the 1-shot
    and the 5-shot episodes are independent streams rather than one being
    a prefix of the other.

    Args:
        labels (Sequence[int]): The label of each sample; indices into it
            are the sample (dataset) indices of the episodes.
        num_ways (int): N, the classes per episode.
        num_shots (int): K, the support samples per class.
        num_queries (int): Q, the query samples per class.
        num_episodes (int): How many episodes to draw.
        seed (int): Non-negative seed. Defaults to 0.

    Returns:
        list[Episode]: ``num_episodes`` episodes.
    """
    rng = np.random.default_rng([seed, num_ways, num_shots, num_queries])
    return _draw_episodes(
        _as_labels(labels), num_ways, num_shots, num_queries, num_episodes,
        rng)


def metabaseline_episodes(labels: Sequence[int], num_ways: int,
                          num_shots: int, num_queries: int,
                          num_episodes: int,
                          seed: int = 0) -> List[Episode]:
    """Draw the episodes of the official PIN++ MetaBaseline test.

    This is the draw of ``CategoriesSampler`` in the paper's
    ``Benchmark/fewshot/metabaseline/datasets/samplers.py``, seeded as its
    ``test_few_shot.py`` seeds it (``np.random.seed(seed)`` once, before
    all test epochs), so that for a seed the episodes equal the official
    ones and its numbers can be reproduced. The official test groups them
    in batches of ``ep_per_batch`` (4) episodes, 200 batches an epoch, for
    10 epochs that continue one random stream; the grouping does not
    change the stream, so its 8000 episodes are the first 8000 drawn here.
    Each episode draws, with numpy's legacy generator:

    1. ``choice(C, N, replace=False)``: N distinct classes among *all*
       ``C = max(label) + 1`` classes;
    2. for each of them in that order, ``choice(members, K + Q,
       replace=True)``: K + Q samples of the class *with replacement*, the
       first K its support and the other Q its queries (the official
       ``split_shot_query``). So a support can also be a query, or be
       drawn twice, unlike :func:`sample_episodes`.

    Args:
        labels (Sequence[int]): The label of each sample, ``0 ..
            C - 1``; indices into it are the episodes' sample indices.
        num_ways (int): N, the classes per episode.
        num_shots (int): K, the support samples per class.
        num_queries (int): Q, the query samples per class (15 in the
            official test).
        num_episodes (int): How many episodes to draw.
        seed (int): Seed of ``np.random.RandomState``, the official
            ``np.random.seed(0)``. Defaults to 0.

    Returns:
        list[Episode]: ``num_episodes`` episodes.

    Raises:
        ValueError: A label below 0, fewer than N classes, or a class in
            ``0 .. C - 1`` without samples (the official sampler would fail
            on it in the middle of the test).
    """
    labels = _as_labels(labels)
    if labels.size == 0 or labels.min() < 0:
        raise ValueError('the MetaBaseline sampler needs labels 0 .. C - 1 '
                         'for at least one sample')
    for name, value in (('num_ways', num_ways), ('num_shots', num_shots),
                        ('num_queries', num_queries),
                        ('num_episodes', num_episodes)):
        if value < 1:
            raise ValueError(f'{name} must be positive, got {value}')
    counts = np.bincount(labels)
    if (counts == 0).any():
        raise ValueError(
            f'the MetaBaseline sampler draws from all classes 0 .. '
            f'{len(counts) - 1}, but {np.flatnonzero(counts == 0)[:5]} have '
            'no sample')
    if len(counts) < num_ways:
        raise ValueError(f'{num_ways}-way episodes need {num_ways} classes, '
                         f'got {len(counts)}')
    # The official ``catlocs``: the sorted sample indices of each class.
    members = [np.flatnonzero(labels == c) for c in range(len(counts))]
    rng = np.random.RandomState(seed)
    episodes = []
    for _ in range(num_episodes):
        classes = rng.choice(len(members), num_ways, replace=False)
        drawn = np.stack([
            rng.choice(members[c], num_shots + num_queries, replace=True)
            for c in classes
        ])
        episodes.append(
            Episode(classes, drawn[:, :num_shots], drawn[:, num_shots:]))
    return episodes


@DATA_SAMPLERS.register_module()
class EpisodicBatchSampler(Sampler):
    """Batch sampler yielding one few-shot episode per batch, for episodic
    training (MetaBaseline's meta stage).

    Use it as a dataloader's ``batch_sampler``; mmengine builds it with the
    dataloader's ``sampler`` and ``batch_size``::

        train_dataloader = dict(
            batch_size=5 * (5 + 15),  # N * (K + Q)
            sampler=dict(type='DefaultSampler', shuffle=True),
            batch_sampler=dict(type='mmpart.EpisodicBatchSampler',
                               num_ways=5, num_shots=5, num_queries=15),
            ...)

    **Order contract.** A batch holds ``N * (K + Q)`` samples: first the
    supports, class by class (the ``K`` of way 0, then the ``K`` of way
    1, ...), then the queries, class by class (the ``Q`` of way 0, ...).
    So sample ``w * K + k`` is support ``k`` of way ``w`` and sample
    ``N * K + w * Q + q`` is query ``q`` of way ``w``. The model knows N, K
    and Q from its own config and relies on this order, not on the labels,
    to tell ways apart.

    The wrapped sampler only supplies the dataset (labels from its
    ``get_gt_labels()``) and the epoch; its own order is not used. Every
    rank draws its own episodes from the whole dataset.

    Args:
        sampler (Sampler): The dataloader's sampler; it must have a
            ``dataset`` attribute (mmengine's samplers do).
        batch_size (int): Must be ``N * (K + Q)``, the size of an episode:
            the dataloader's ``batch_size`` is also read elsewhere
            (``auto_scale_lr``, logs), so it has to tell the truth rather
            than be ignored.
        num_ways (int): N, classes per episode. Defaults to 5.
        num_shots (int): K, support samples per class. Defaults to 5.
        num_queries (int): Q, query samples per class. Defaults to 15.
        num_episodes (int): Episodes (batches) per epoch. Defaults to 200.
        seed (int, optional): Base seed; None draws one shared by all
            ranks, as mmengine's samplers do. Defaults to None.
    """

    def __init__(self,
                 sampler: Sampler,
                 batch_size: int,
                 num_ways: int = 5,
                 num_shots: int = 5,
                 num_queries: int = 15,
                 num_episodes: int = 200,
                 seed: Optional[int] = None) -> None:
        episode_size = num_ways * (num_shots + num_queries)
        if batch_size != episode_size:
            raise ValueError(
                f'EpisodicBatchSampler: batch_size must be the episode size '
                f'N * (K + Q) = {num_ways} * ({num_shots} + {num_queries}) '
                f'= {episode_size}, got {batch_size}')
        if not hasattr(sampler, 'dataset'):
            raise TypeError('EpisodicBatchSampler needs a sampler with a '
                            f'"dataset" attribute, got {type(sampler)}')
        self.sampler = sampler
        self.batch_size = batch_size
        self.num_ways = num_ways
        self.num_shots = num_shots
        self.num_queries = num_queries
        self.num_episodes = num_episodes
        self.seed = sync_random_seed() if seed is None else seed
        self.rank = get_dist_info()[0]
        self.labels = _as_labels(sampler.dataset.get_gt_labels())
        self._epoch = 0
        # Fail at build time, not at the first epoch, if the dataset cannot
        # give a single episode.
        _draw_episodes(self.labels, num_ways, num_shots, num_queries, 1,
                       np.random.default_rng(self.seed))

    @property
    def epoch(self) -> int:
        """The current epoch.

        The wrapped sampler's when it has one: mmengine's
        ``DistSamplerSeedHook`` and train loop call ``set_epoch`` on the
        dataloader's ``batch_sampler.sampler``, i.e. the wrapped sampler,
        never on a batch sampler.
        """
        return getattr(self.sampler, 'epoch', self._epoch)

    def set_epoch(self, epoch: int) -> None:
        """Set the epoch (of this and of the wrapped sampler).

        Args:
            epoch (int): The epoch; episodes come from
                ``np.random.default_rng([seed, epoch, rank])``, so epochs
                and ranks differ and runs repeat.
        """
        self._epoch = epoch
        if hasattr(self.sampler, 'set_epoch'):
            self.sampler.set_epoch(epoch)

    def __iter__(self) -> Iterator[List[int]]:
        rng = np.random.default_rng([self.seed, self.epoch, self.rank])
        episodes = _draw_episodes(self.labels, self.num_ways, self.num_shots,
                                  self.num_queries, self.num_episodes, rng)
        for episode in episodes:
            yield (episode.support.reshape(-1).tolist() +
                   episode.query.reshape(-1).tolist())

    def __len__(self) -> int:
        return self.num_episodes
