# Copyright (c) mmpart contributors. All rights reserved.
import torch

from ..conftest import load_tool

step_benchmark = load_tool('tools/analysis_tools/step_benchmark.py')
benchmark_steps = step_benchmark.benchmark_steps
training_step = step_benchmark.training_step


def _factory(calls: list, megabytes: int):
    """A 'training step' that holds ``megabytes`` of memory while it runs
    and counts its calls in the calling process."""

    def factory():

        def step():
            # Plain bytes, not a tensor: no OpenMP work in the forked
            # process (GNU OpenMP may hang after a fork in a process that
            # already ran parallel torch ops, as the test process has).
            buffer = bytearray(b'\x01') * (megabytes * 2**20)
            calls.append(buffer[-1])

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


def test_training_step_sums_the_losses_and_updates():
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    x = torch.randn(4, 3)
    seen = []

    def losses():
        out = model(x).square().mean()
        seen.append(float(out))
        # 'acc' is logged, not optimised: only keys with 'loss' count.
        return dict(loss_a=out, loss_b=out, acc=100 * out)

    step = training_step(model, optimizer, losses, 'cpu')
    before = model.weight.detach().clone()
    # The two loss terms count, the accuracy does not: gradient 2 * dL/dw.
    grad, = torch.autograd.grad(model(x).square().mean(), model.weight)
    step()
    assert torch.allclose(model.weight, before - 0.5 * 2 * grad, atol=1e-6)
    assert len(seen) == 1
