# Copyright (c) mmpart contributors. All rights reserved.
import math

import pytest

from mmpart.evaluation.functional import mean_and_ci95


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
