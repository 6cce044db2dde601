# Copyright (c) mmpart contributors. All rights reserved.
"""Time and peak memory of training steps of several models, measured in
one run so that their ratios are fair on a noisy machine."""
import multiprocessing as mp
import resource
import statistics
import time
from typing import Callable, Dict, List, NamedTuple

import torch

#: Builds a model and its batch, returns a function doing one training step.
StepFactory = Callable[[], Callable[[], None]]


class StepStats(NamedTuple):
    """What :func:`benchmark_steps` measured of one model.

    Attributes:
        times (list[float]): Seconds of each timed step.
        peak_mb (float): Peak memory of training: CUDA's peak allocation,
            or on the CPU the peak resident size of a process that only
            built the model and took two steps.
    """
    times: List[float]
    peak_mb: float

    @property
    def median(self) -> float:
        """The median step time in seconds."""
        return statistics.median(self.times)


def _timed(step: Callable[[], None], cuda: bool) -> float:
    if cuda:
        torch.cuda.synchronize()
    start = time.perf_counter()
    step()
    if cuda:
        torch.cuda.synchronize()
    return time.perf_counter() - start


def _peak_rss_mb(factory: StepFactory, queue) -> None:
    """In a forked process: peak resident size over two steps."""
    step = factory()
    for _ in range(2):
        step()
    queue.put(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def benchmark_steps(factories: Dict[str, StepFactory], device: str,
                    warmup: int = 1, steps: int = 3) -> Dict[str, StepStats]:
    """Peak memory and step times of each model, steps interleaved.

    Steps alternate between the models, so that machine noise hits all of
    them alike. On the CPU each model's peak memory is taken in its own
    forked process (the peak resident size of a process only grows), before
    the timing.

    Args:
        factories (dict[str, StepFactory]): A step factory per model name.
        device (str): ``'cpu'`` or a CUDA device.
        warmup (int): Untimed steps per model first. Defaults to 1.
        steps (int): Timed steps per model. Defaults to 3.

    Returns:
        dict[str, StepStats]: The measures, by model name.
    """
    cuda = device.startswith('cuda')
    peaks = {}
    if not cuda:
        ctx = mp.get_context('fork')
        for name, factory in factories.items():
            queue = ctx.Queue()
            proc = ctx.Process(target=_peak_rss_mb, args=(factory, queue))
            proc.start()
            peaks[name] = queue.get()
            proc.join()
    stepper = {}
    for name, factory in factories.items():
        if cuda:
            torch.cuda.empty_cache()
            torch.cuda.reset_peak_memory_stats()
        stepper[name] = factory()
        for _ in range(warmup):
            _timed(stepper[name], cuda)
        if cuda:
            peaks[name] = torch.cuda.max_memory_allocated() / 2**20
    times = {name: [] for name in factories}
    for _ in range(steps):
        for name, step in stepper.items():
            times[name].append(_timed(step, cuda))
    return {name: StepStats(times[name], peaks[name]) for name in factories}


def training_step(model: torch.nn.Module, optimizer: torch.optim.Optimizer,
                  losses_of_batch: Callable[[], dict], device: str,
                  amp: bool = False) -> Callable[[], None]:
    """One training step of ``model``, as a function for
    :func:`benchmark_steps`.

    Args:
        model (nn.Module): The model.
        optimizer (Optimizer): Its optimizer.
        losses_of_batch (Callable[[], dict]): Computes the model's loss dict
            on the benchmark's batch (the keys containing ``loss`` are
            summed, as mmengine does).
        device (str): The device; ``amp`` scales the loss on CUDA only.
        amp (bool): float16 autocast. Defaults to False.

    Returns:
        Callable[[], None]: The step.
    """
    scaler = torch.amp.GradScaler(enabled=amp and device.startswith('cuda'))

    def step():
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast(device.split(':')[0], dtype=torch.float16,
                            enabled=amp):
            losses = losses_of_batch()
            loss = sum(v for k, v in losses.items() if 'loss' in k)
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()

    return step


def print_step_stats(stats: Dict[str, StepStats]) -> None:
    """One line per model: median and every step time, peak memory."""
    for name, stat in stats.items():
        steps = ', '.join(f'{t:.3f}' for t in stat.times)
        print(f'{name}: median step {stat.median:.3f} s ({steps}); '
              f'peak memory {stat.peak_mb:.0f} MB')


def device_description(device: str) -> str:
    """The device in words, for the benchmarks' first line."""
    if device.startswith('cuda'):
        return torch.cuda.get_device_name(torch.device(device))
    return f'cpu ({torch.get_num_threads()} threads)'
