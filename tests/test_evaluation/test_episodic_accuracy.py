# Copyright (c) mmpart contributors. All rights reserved.
import pytest
import torch
import torch.nn.functional as F

from mmpart.datasets.episodes import metabaseline_episodes, sample_episodes
from mmpart.evaluation.functional import mean_and_ci95, mean_and_t_ci95
from mmpart.evaluation.metrics import EpisodicAccuracy
from mmpart.evaluation.metrics import episodic_accuracy as module

NUM_CLASSES, PER_CLASS, DIM = 8, 25, 32
LABELS = torch.arange(NUM_CLASSES).repeat_interleave(PER_CLASS)


def make_samples(features, order=None):
    order = range(len(LABELS)) if order is None else order
    return [
        dict(embedding=features[i], gt_label=LABELS[i:i + 1],
             sample_idx=int(i)) for i in order
    ]


def evaluate(features, order=None, batch_size=16, num_episodes=300,
             **kwargs):
    metric = EpisodicAccuracy(num_episodes=num_episodes, **kwargs)
    samples = make_samples(features, order)
    for start in range(0, len(samples), batch_size):
        metric.process(None, samples[start:start + batch_size])
    return metric.evaluate(len(samples))


def test_separable_features_are_always_right():
    features = F.one_hot(LABELS, DIM).float() * 3
    features += 0.01 * torch.randn(len(LABELS), DIM,
                                   generator=torch.Generator().manual_seed(0))
    metrics = evaluate(features)
    assert metrics == {
        'fewshot/5way_1shot_accuracy': 100.0,
        'fewshot/5way_1shot_ci95': 0.0,
        'fewshot/5way_5shot_accuracy': 100.0,
        'fewshot/5way_5shot_ci95': 0.0,
    }


def test_random_features_are_at_chance():
    features = torch.randn(len(LABELS), DIM,
                           generator=torch.Generator().manual_seed(1))
    metrics = evaluate(features, num_ways=4, num_shots=2, prefix='fs')
    assert set(metrics) == {'fs/4way_2shot_accuracy', 'fs/4way_2shot_ci95'}
    assert metrics['fs/4way_2shot_accuracy'] == pytest.approx(25, abs=5)
    assert 0 < metrics['fs/4way_2shot_ci95'] < 3


def reference_accuracies(features, episodes):
    """The accuracy of each episode, straight from the definition."""
    accuracies = []
    for episode in episodes:
        prototypes = torch.stack(
            [features[row].mean(0) for row in episode.support])
        hits = 0
        for way, row in enumerate(episode.query):
            scores = F.cosine_similarity(features[row][:, None],
                                         prototypes[None], dim=2)
            hits += int((scores.argmax(1) == way).sum())
        accuracies.append(100 * hits / episode.query.size)
    return accuracies


def reference(features, num_shots, num_episodes):
    """The mean and normal interval over mmpart's episodes."""
    episodes = sample_episodes(LABELS.tolist(), 5, num_shots, 15,
                               num_episodes)
    return mean_and_ci95(reference_accuracies(features, episodes))


@pytest.mark.parametrize('max_values', [module._MAX_VALUES, 20000])
def test_matches_the_definition(monkeypatch, max_values):
    # 20000 < 200 ** 2 forces the path without a Gram matrix, in chunks of
    # 4 (5-shot) and 20 (1-shot) episodes.
    monkeypatch.setattr(module, '_MAX_VALUES', max_values)
    generator = torch.Generator().manual_seed(2)
    features = torch.randn(len(LABELS), DIM, generator=generator)
    features += F.one_hot(LABELS, DIM).float()
    # Norms from 0.2 to 5: a prototype from normalised supports would
    # rank some queries otherwise (checked below at 5 shots).
    features *= 0.2 + 4.8 * torch.rand(len(LABELS), 1, generator=generator)
    metrics = evaluate(features, num_episodes=50)
    normalised_first, _ = reference(F.normalize(features, dim=1), 5, 50)
    assert metrics['fewshot/5way_5shot_accuracy'] != \
        pytest.approx(normalised_first, abs=1e-4)
    for shots in (1, 5):
        accuracy, ci95 = reference(features, shots, num_episodes=50)
        assert 20 < accuracy < 100
        assert metrics[f'fewshot/5way_{shots}shot_accuracy'] == \
            pytest.approx(accuracy, abs=1e-4)
        assert metrics[f'fewshot/5way_{shots}shot_ci95'] == \
            pytest.approx(ci95, abs=1e-4)


def test_sample_order_does_not_matter():
    features = torch.randn(len(LABELS), DIM,
                           generator=torch.Generator().manual_seed(3))
    features += F.one_hot(LABELS, DIM).float()
    shuffled = torch.randperm(len(LABELS),
                              generator=torch.Generator().manual_seed(4))
    assert evaluate(features) == evaluate(features, shuffled.tolist(),
                                          batch_size=7)


def test_errors():
    features = torch.randn(len(LABELS), DIM)
    with pytest.raises(ValueError, match='repeated sample_idx'):
        evaluate(features, order=[0, 1] * 100)
    with pytest.raises(ValueError, match='0 of the 8 classes'):
        evaluate(features, num_queries=PER_CLASS)


def test_the_official_protocol():
    generator = torch.Generator().manual_seed(5)
    features = torch.randn(len(LABELS), DIM, generator=generator)
    features += 0.7 * F.one_hot(LABELS, DIM).float()
    metrics = evaluate(
        features,
        num_episodes=40,
        sampler='metabaseline',
        interval='t',
        episodes_per_batch=4)
    for shots in (1, 5):
        # Each K from the seed, as the official 1- and 5-shot runs.
        episodes = metabaseline_episodes(LABELS.tolist(), 5, shots, 15, 40)
        accuracies = reference_accuracies(features, episodes)
        # The t-interval over the accuracies of the 10 batches of 4.
        batches = [sum(accuracies[i:i + 4]) / 4 for i in range(0, 40, 4)]
        accuracy, ci95 = mean_and_t_ci95(batches)
        assert 20 < accuracy < 100
        assert accuracy == pytest.approx(sum(accuracies) / 40)
        assert metrics[f'fewshot/5way_{shots}shot_accuracy'] == \
            pytest.approx(accuracy, abs=1e-4)
        assert metrics[f'fewshot/5way_{shots}shot_ci95'] == \
            pytest.approx(ci95, abs=1e-4)
        assert ci95 != pytest.approx(mean_and_t_ci95(accuracies)[1])


def test_protocol_arguments():
    with pytest.raises(ValueError, match='sampler must be one of'):
        EpisodicAccuracy(sampler='deepemd')
    with pytest.raises(ValueError, match='interval must be one of'):
        EpisodicAccuracy(interval='bootstrap')
    with pytest.raises(ValueError, match=r'episodes_per_batch \(3\) must'):
        EpisodicAccuracy(num_episodes=2000, episodes_per_batch=3)
