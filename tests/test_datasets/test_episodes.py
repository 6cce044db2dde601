# Copyright (c) mmpart contributors. All rights reserved.
import numpy as np
import pytest
from mmengine.dataset import DefaultSampler
from mmengine.runner import Runner
from torch.utils.data import Dataset

from mmpart.datasets.episodes import (Episode, EpisodicBatchSampler,
                                      metabaseline_episodes, sample_episodes)

# 8 classes: class c has 10 + 2 * c samples, interleaved; class 8 has 3.
LABELS = np.random.default_rng(0).permutation(
    np.concatenate([np.full(10 + 2 * c, c) for c in range(8)] + [[8] * 3]))


class LabelledSet(Dataset):
    """A dataset whose samples are their own indices."""

    def __init__(self, labels):
        self.labels = np.asarray(labels)

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, index):
        return index

    def get_gt_labels(self):
        return self.labels


def check_episode(episode, labels, ways, shots, queries):
    assert isinstance(episode, Episode)
    assert episode.classes.shape == (ways, )
    assert episode.support.shape == (ways, shots)
    assert episode.query.shape == (ways, queries)
    assert len(set(episode.classes.tolist())) == ways
    both = np.concatenate([episode.support, episode.query], axis=1)
    for row, cls in zip(both, episode.classes):
        assert len(set(row.tolist())) == shots + queries
        assert (labels[row] == cls).all()


def test_sample_episodes_content():
    episodes = sample_episodes(LABELS, 5, 3, 7, num_episodes=50, seed=1)
    assert len(episodes) == 50
    for episode in episodes:
        check_episode(episode, LABELS, 5, 3, 7)
        # Class 8 has 3 < 3 + 7 samples; classes 0..7 all have enough.
        assert 8 not in episode.classes
    # With 50 episodes every eligible class and most samples show up.
    seen = set(np.concatenate([e.classes for e in episodes]).tolist())
    assert seen == set(range(8))
    # 20 samples per class are needed: only classes 5, 6, 7 have them.
    for episode in sample_episodes(LABELS, 3, 5, 15, 10):
        check_episode(episode, LABELS, 3, 5, 15)
        assert set(episode.classes.tolist()) == {5, 6, 7}


def episodes_equal(first, second):
    return len(first) == len(second) and all(
        (a.classes == b.classes).all() and (a.support == b.support).all()
        and (a.query == b.query).all() for a, b in zip(first, second))


def test_sample_episodes_streams():
    episodes = sample_episodes(LABELS, 5, 1, 5, 20, seed=0)
    assert episodes_equal(episodes, sample_episodes(LABELS, 5, 1, 5, 20, 0))
    assert not episodes_equal(episodes,
                              sample_episodes(LABELS, 5, 1, 5, 20, 1))
    # 1-shot and 5-shot episodes are independent streams: the 5-shot
    # supports do not start with the 1-shot ones.
    five = sample_episodes(LABELS, 5, 5, 5, 20, seed=0)
    assert not all((a.classes == b.classes).all() and
                   (a.support[:, 0] == b.support[:, 0]).all()
                   for a, b in zip(episodes, five))


def test_sample_episodes_errors():
    with pytest.raises(ValueError, match='3 of the 9 classes have that'):
        sample_episodes(LABELS, 4, 5, 15, 10)
    with pytest.raises(ValueError, match='num_shots must be positive'):
        sample_episodes(LABELS, 4, 0, 15, 10)
    with pytest.raises(ValueError, match='one integer label per sample'):
        sample_episodes(np.zeros((4, 2), dtype=int), 1, 1, 1, 1)


def make_sampler(batch_size=5 * (2 + 3), seed=7, num_episodes=6):
    sampler = DefaultSampler(LabelledSet(LABELS), shuffle=True, seed=0)
    return EpisodicBatchSampler(sampler, batch_size, num_ways=5, num_shots=2,
                                num_queries=3, num_episodes=num_episodes,
                                seed=seed)


def test_batch_sampler_order_contract():
    batch_sampler = make_sampler()
    batches = list(batch_sampler)
    assert len(batch_sampler) == len(batches) == 6
    for batch in batches:
        assert len(batch) == len(set(batch)) == 5 * (2 + 3)
        labels = LABELS[batch]
        # Supports class by class (2 each), then queries (3 each) in the
        # same class order.
        support = labels[:10].reshape(5, 2)
        query = labels[10:].reshape(5, 3)
        assert (support == support[:, :1]).all()
        assert (query == query[:, :1]).all()
        assert (support[:, 0] == query[:, 0]).all()
        assert len(set(support[:, 0].tolist())) == 5


def test_batch_sampler_epochs():
    batch_sampler = make_sampler()
    first = list(batch_sampler)
    assert list(batch_sampler) == first
    assert list(make_sampler()) == first
    assert list(make_sampler(seed=8)) != first
    batch_sampler.set_epoch(1)
    second = list(batch_sampler)
    assert second != first
    # mmengine's DistSamplerSeedHook sets the epoch of the wrapped sampler.
    other = make_sampler()
    other.sampler.set_epoch(1)
    assert list(other) == second


def test_batch_sampler_batch_size():
    with pytest.raises(ValueError, match=r'5 \* \(2 \+ 3\) = 25, got 1'):
        make_sampler(batch_size=1)


def test_batch_sampler_from_a_dataloader_config():
    loader = Runner.build_dataloader(
        dict(
            dataset=LabelledSet(LABELS),
            batch_size=3 * (1 + 2),
            num_workers=0,
            sampler=dict(type='DefaultSampler', shuffle=True),
            batch_sampler=dict(
                type='mmpart.EpisodicBatchSampler',
                num_ways=3,
                num_shots=1,
                num_queries=2,
                num_episodes=4,
                seed=0)),
        seed=0)
    assert isinstance(loader.batch_sampler, EpisodicBatchSampler)
    batches = [list(batch) for batch in loader]
    assert len(loader) == len(batches) == 4
    assert all(len(batch) == 9 for batch in batches)


def official_batches(label, n_batch, n_cls, n_per, ep_per_batch, epochs):
    """The official MetaBaseline test draw, as its ``test_few_shot.py`` and
    ``CategoriesSampler`` make it: ``np.random.seed(0)`` once, then the
    global generator for every epoch of ``n_batch`` batches, each the
    flattened ``(ep_per_batch, n_cls, n_per)`` indices."""
    state = np.random.get_state()
    np.random.seed(0)
    catlocs = [
        np.argwhere(label == c).reshape(-1) for c in range(max(label) + 1)
    ]
    batches = []
    for _ in range(epochs):
        for _ in range(n_batch):
            batch = []
            for _ in range(ep_per_batch):
                classes = np.random.choice(len(catlocs), n_cls, replace=False)
                batch.append(
                    np.stack([
                        np.random.choice(catlocs[c], n_per, replace=True)
                        for c in classes
                    ]))
            batches.append(np.stack(batch).reshape(-1))
    np.random.set_state(state)
    return batches


@pytest.mark.parametrize('shots', [1, 5])
def test_metabaseline_episodes_are_the_official_draw(shots):
    # 2 epochs of 3 batches of 4 episodes, 5-way, 15 queries.
    expected = official_batches(LABELS, 3, 5, shots + 15, 4, epochs=2)
    episodes = metabaseline_episodes(LABELS, 5, shots, 15, 24, seed=0)
    assert len(episodes) == 24
    batches = [
        np.stack([
            np.concatenate([e.support, e.query], axis=1)
            for e in episodes[first:first + 4]
        ]).reshape(-1) for first in range(0, 24, 4)
    ]
    for batch, official in zip(batches, expected):
        np.testing.assert_array_equal(batch, official)
    for episode in episodes:
        assert episode.support.shape == (5, shots)
        assert episode.query.shape == (5, 15)
        assert len(set(episode.classes.tolist())) == 5
        for cls, support, query in zip(episode.classes, episode.support,
                                       episode.query):
            assert (LABELS[support] == cls).all()
            assert (LABELS[query] == cls).all()
    # Images are drawn with replacement, and every class can be drawn:
    # class 8 has 3 samples for 16 or 20 draws.
    assert any(8 in episode.classes for episode in episodes)
    assert any(
        len(set(np.concatenate([e.support, e.query], axis=1)[w].tolist()))
        < shots + 15 for e in episodes for w in range(5))


def test_metabaseline_episodes_errors():
    with pytest.raises(ValueError, match=r'\[3\] have no sample'):
        metabaseline_episodes([0, 1, 2, 4, 5, 6], 2, 1, 1, 1)
    with pytest.raises(ValueError, match='5-way episodes need 5 classes'):
        metabaseline_episodes([0, 1, 2, 3], 5, 1, 1, 1)
    with pytest.raises(ValueError, match='num_queries must be positive'):
        metabaseline_episodes([0, 1], 2, 1, 0, 1)
