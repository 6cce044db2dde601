# Copyright (c) mmpart contributors. All rights reserved.
from .reports import (headline_accuracies, write_chart, write_json_report,
                      write_markdown_report, write_reports)
from .suite_config import (SUITE_VARIABLES, Benchmark, OnTheFlyVariant,
                           RobustnessSuite, fill_placeholders)
from .suite_runner import (benchmark_runner_cfg, run_benchmark,
                           run_robustness_suite)

__all__ = [
    'Benchmark', 'OnTheFlyVariant', 'RobustnessSuite', 'SUITE_VARIABLES',
    'benchmark_runner_cfg', 'fill_placeholders', 'headline_accuracies',
    'run_benchmark', 'run_robustness_suite', 'write_chart',
    'write_json_report', 'write_markdown_report', 'write_reports'
]
