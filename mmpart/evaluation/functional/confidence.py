# Copyright (c) mmpart contributors. All rights reserved.
import math
from typing import Sequence, Tuple

import numpy as np


def mean_and_ci95(values: Sequence[float]) -> Tuple[float, float]:
    """The mean of ``values`` and the half-width of its 95 % confidence
    interval, ``1.96 * std / sqrt(n)``.

    ``std`` is the population standard deviation (``ddof=0``), the
    convention of the few-shot literature (MetaBaseline, ProtoNet, ...)
    for the ``accuracy ± ci95`` of episodes, so numbers compare with
    published ones. A single value gives a half-width of 0.

    Args:
        values (Sequence[float]): The per-episode values, e.g. accuracies
            in percent.

    Returns:
        tuple[float, float]: The mean and the 95 % half-width.
    """
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    if values.size == 0:
        raise ValueError('mean_and_ci95 needs at least one value')
    half_width = 1.96 * values.std(ddof=0) / math.sqrt(values.size)
    return float(values.mean()), float(half_width)
