# Copyright (c) mmpart contributors. All rights reserved.
"""DeepEMDEpisodicAccuracy: EpisodicAccuracy's episodes, scored by the
DeepEMD head."""
import pytest
import torch

from mmpart.datasets.episodes import sample_episodes
from mmpart.evaluation.metrics import DeepEMDEpisodicAccuracy
from mmpart.registry import MODELS

NUM_CLASSES, PER_CLASS = 6, 4
LABELS = torch.arange(NUM_CLASSES).repeat_interleave(PER_CLASS)
# One SFC batch of all supports: the fit does not depend on the shuffle.
HEAD = dict(type='DeepEMDHead', sfc_steps=2, sfc_batch_size=6)


def evaluate(features, **kwargs):
    metric = DeepEMDEpisodicAccuracy(
        head=HEAD, num_ways=3, num_queries=2, num_episodes=4, **kwargs)
    # Out of order and in two batches: the metric sorts by sample_idx.
    order = torch.randperm(len(LABELS),
                           generator=torch.Generator().manual_seed(0))
    samples = [
        dict(embedding=features[i], gt_label=LABELS[i:i + 1],
             sample_idx=int(i)) for i in order
    ]
    metric.process(None, samples[:10])
    metric.process(None, samples[10:])
    return metric.evaluate(len(samples))


def test_class_patterns_are_always_right():
    """Each class has its own channel pattern at every node."""
    generator = torch.Generator().manual_seed(0)
    patterns = torch.randn(NUM_CLASSES, 8, 1, 1, generator=generator)
    features = patterns[LABELS].repeat(1, 1, 2, 2) + 0.01 * torch.randn(
        len(LABELS), 8, 2, 2, generator=generator)
    metrics = evaluate(features, num_shots=(1, 2))
    assert metrics['fewshot/3way_1shot_accuracy'] == 100.0
    assert metrics['fewshot/3way_2shot_accuracy'] == 100.0
    assert metrics['fewshot/3way_2shot_ci95'] == 0.0


@pytest.mark.parametrize('num_shots', [1, 2])
def test_accuracy_is_that_of_the_head_on_the_same_episodes(num_shots):
    features = torch.randn(len(LABELS), 8, 2, 2,
                           generator=torch.Generator().manual_seed(1))
    metrics = evaluate(features, num_shots=num_shots, seed=3)
    head = MODELS.build(HEAD).eval()
    target = torch.arange(3).repeat_interleave(2)
    accuracies = []
    for episode in sample_episodes(LABELS.tolist(), 3, num_shots, 2, 4, 3):
        logits = head.episode_logits(
            features[torch.from_numpy(episode.support)],
            features[torch.from_numpy(episode.query).flatten()])
        accuracies.append((logits.argmax(1) == target).double().mean() * 100)
    expected = torch.stack(accuracies).mean().item()
    assert metrics[f'fewshot/3way_{num_shots}shot_accuracy'] == \
        pytest.approx(expected, abs=1e-4)
