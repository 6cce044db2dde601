# Copyright (c) mmpart contributors. All rights reserved.
"""The ``Examples:`` blocks of the metrics and the part data preprocessor
run and print what they say."""
import doctest

import pytest
from mmengine.logging import MMLogger

from mmpart.datasets.transforms import PackPartInputs
from mmpart.evaluation import (ClassSubsetAccuracy, EpisodicAccuracy,
                               ImageNetCMetric, PartIoUMetric,
                               PINPPInstanceMetric, ShapeBias)
from mmpart.models import PartClsDataPreprocessor

DOCUMENTED = [
    ClassSubsetAccuracy, EpisodicAccuracy, ImageNetCMetric, PartIoUMetric,
    PINPPInstanceMetric, ShapeBias, PartClsDataPreprocessor, PackPartInputs
]


@pytest.mark.parametrize('obj', DOCUMENTED, ids=lambda obj: obj.__name__)
def test_examples_run(obj):
    # Logs go to the stream of a logger made now, not into the examples'
    # output.
    MMLogger.get_instance('test_docstring_examples')
    tests = doctest.DocTestFinder(recurse=False).find(obj, obj.__name__,
                                                      globs={})
    assert tests and tests[0].examples, f'{obj.__name__} has no example'
    runner = doctest.DocTestRunner(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in tests:
        runner.run(test)
    assert runner.failures == 0
