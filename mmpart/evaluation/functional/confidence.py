# Copyright (c) mmpart contributors. All rights reserved.
import math
from typing import Sequence, Tuple

import numpy as np
from scipy import stats


def _as_values(values: Sequence[float], least: int) -> np.ndarray:
    """``values`` as a flat float64 array of at least ``least`` values."""
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    if values.size < least:
        words = {1: 'one value', 2: 'two values'}[least]
        raise ValueError(f'a confidence interval needs at least {words}, '
                         f'got {values.size}')
    return values


def mean_and_ci95(values: Sequence[float]) -> Tuple[float, float]:
    """The mean of ``values`` and the half-width of its 95 % confidence
    interval by the normal approximation, ``1.96 * std / sqrt(n)``.

    ``std`` is the population standard deviation (``ddof=0``). This is
    DeepEMD's ``compute_confidence_interval`` (in the paper's
    ``Benchmark/fewshot/deepemd/Models/utils.py`` too), over per-episode
    accuracies. The official MetaBaseline test (``test_few_shot.py``) uses
    a t-interval over batches of episodes instead:
    :func:`mean_and_t_ci95`. A single value gives a half-width of 0.

    Args:
        values (Sequence[float]): The per-episode values, e.g. accuracies
            in percent.

    Returns:
        tuple[float, float]: The mean and the 95 % half-width.
    """
    values = _as_values(values, 1)
    half_width = 1.96 * values.std(ddof=0) / math.sqrt(values.size)
    return float(values.mean()), float(half_width)


def mean_and_t_ci95(values: Sequence[float],
                    confidence: float = 0.95) -> Tuple[float, float]:
    """The mean of ``values`` and the half-width of its Student-t
    confidence interval, ``sem * t.ppf((1 + confidence) / 2, n - 1)``.

    ``sem`` is ``scipy.stats.sem``, the standard error with the sample
    standard deviation (``ddof=1``). This is ``mean_confidence_interval``
    of the official PIN++ MetaBaseline test (``test_few_shot.py``), which
    it applies to the accuracies of its batches of 4 episodes, not of
    single episodes; with 2000 batches ``t.ppf`` is 1.961, so the interval
    differs from :func:`mean_and_ci95`'s mainly by what a value is.

    Args:
        values (Sequence[float]): At least two values, e.g. per-batch
            accuracies in percent.
        confidence (float): The confidence level. Defaults to 0.95.

    Returns:
        tuple[float, float]: The mean and the half-width.
    """
    values = _as_values(values, 2)
    half_width = stats.sem(values) * stats.t.ppf(
        (1 + confidence) / 2, values.size - 1)
    return float(values.mean()), float(half_width)
