# Copyright (c) mmpart contributors. All rights reserved.
import torch

from mmpart.utils.step_benchmark import benchmark_steps


def _factory(calls: list, megabytes: int):
    """A 'training step' that holds ``megabytes`` of memory while it runs
    and counts its calls in the calling process."""

    def factory():

        def step():
            buffer = torch.ones(megabytes * 2**18)  # float32: 4 bytes each
            calls.append(float(buffer[-1]))

        return step

    return factory


def test_steps_are_timed_and_peaks_differ():
    small, large = [], []
    stats = benchmark_steps(
        dict(small=_factory(small, 1), large=_factory(large, 300)),
        'cpu', warmup=1, steps=3)
    assert list(stats) == ['small', 'large']
    for name, calls in (('small', small), ('large', large)):
        # Warm-up plus timed steps here; the peak's steps ran in a fork.
        assert len(calls) == 4
        assert len(stats[name].times) == 3
        assert all(t > 0 for t in stats[name].times)
    # Each peak is measured in its own process: the 300 MB step shows.
    assert 250 < stats['large'].peak_mb - stats['small'].peak_mb < 350
