# Copyright (c) mmpart contributors. All rights reserved.
import math

import pytest
from scipy import stats

from mmpart.evaluation.functional import mean_and_ci95, mean_and_t_ci95


def test_mean_and_ci95_by_hand():
    mean, ci95 = mean_and_ci95([40, 60, 80, 60])
    # Population variance: (20**2 + 0 + 20**2 + 0) / 4 = 200.
    assert mean == pytest.approx(60.0)
    assert ci95 == pytest.approx(1.96 * math.sqrt(200) / math.sqrt(4))
    assert isinstance(mean, float) and isinstance(ci95, float)


def test_mean_and_ci95_edge_cases():
    assert mean_and_ci95([73.5]) == (73.5, 0.0)
    assert mean_and_ci95([50.0] * 10) == (50.0, 0.0)
    with pytest.raises(ValueError, match='at least one value'):
        mean_and_ci95([])


def test_mean_and_t_ci95_by_hand():
    mean, ci95 = mean_and_t_ci95([40, 60, 80, 60])
    # Sample variance: (20**2 + 0 + 20**2 + 0) / 3; sem = sqrt(var / 4).
    sem = math.sqrt(800 / 3 / 4)
    # t.ppf(0.975, 3) = 3.182..., the 97.5 % quantile of Student's t.
    t = stats.t.ppf(0.975, 3)
    assert t == pytest.approx(3.1824463, abs=1e-6)
    assert mean == pytest.approx(60.0)
    assert ci95 == pytest.approx(sem * t)
    assert isinstance(mean, float) and isinstance(ci95, float)
    # A 90 % interval uses t.ppf(0.95, 3) = 2.353...
    assert mean_and_t_ci95([40, 60, 80, 60], confidence=0.9)[1] == \
        pytest.approx(sem * 2.3533634, abs=1e-6)


def test_mean_and_t_ci95_edge_cases():
    assert mean_and_t_ci95([50.0] * 10) == (50.0, 0.0)
    with pytest.raises(ValueError, match='at least two values, got 1'):
        mean_and_t_ci95([73.5])
