# Copyright (c) mmpart contributors. All rights reserved.
from .suite import (run_benchmark, run_robustness_suite, select_benchmarks,
                    write_reports)

__all__ = [
    'run_benchmark', 'run_robustness_suite', 'select_benchmarks',
    'write_reports'
]
