# Copyright (c) mmpart contributors. All rights reserved.
from .export import export_plain_classifier
from .official_checkpoint import convert_official_mpm, official_weights
from .robustness_suite import (run_benchmark, run_robustness_suite,
                               select_benchmarks, write_reports)

__all__ = [
    'convert_official_mpm', 'export_plain_classifier', 'official_weights',
    'run_benchmark', 'run_robustness_suite', 'select_benchmarks',
    'write_reports'
]
