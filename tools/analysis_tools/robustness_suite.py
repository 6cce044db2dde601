# Copyright (c) mmpart contributors. All rights reserved.
"""Run the robustness benchmarks present under a data root and report them.

    python tools/analysis_tools/robustness_suite.py CONFIG CHECKPOINT \
        --data-root data/robustness --out work_dirs/robustness

Multi-process (``dist_test.sh`` style, N processes):

    SCRIPT=tools/analysis_tools/robustness_suite.py \
        bash tools/dist_test.sh CONFIG CHECKPOINT N --data-root ... --out ...

Writes ``OUT/results.json``, ``OUT/results.md`` and ``OUT/results.png``.
"""
import argparse
import os
import os.path as osp

from mmengine.config import Config, DictAction
from mmengine.dist import is_main_process

import mmpart  # noqa: F401  (registers mmpart's modules)
from mmpart.robustness import RobustnessSuite, run_robustness_suite
from mmpart.utils import (register_all_modules, setup_cpu_distributed,
                          teardown_distributed)

DEFAULT_SUITE = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'configs',
    'robustness', 'imagenet_suite.py')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='model config (its test pipeline is '
                        'used for every benchmark)')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--data-root', required=True,
                        help='folder holding imagenet/, imagenet-c/, ...')
    parser.add_argument('--out', required=True, help='report folder')
    parser.add_argument('--suite', default=DEFAULT_SUITE,
                        help='suite config (default: %(default)s)')
    parser.add_argument('--only', nargs='+', help='run only these benchmarks')
    parser.add_argument('--corrupt-on-the-fly', action='store_true',
                        help='without imagenet-c/, corrupt the clean images')
    parser.add_argument('--batch-size', type=int,
                        help='override the test batch size')
    parser.add_argument('--work-dir', help='logs (default: OUT/work_dir)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override model config settings')
    parser.add_argument('--suite-options', nargs='+', action=DictAction,
                        help='override suite settings, e.g. '
                        'benchmarks.autoattack_l2.dataset.indices=500')
    parser.add_argument('--launcher', default='none',
                        choices=['none', 'pytorch', 'slurm', 'mpi'])
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def main():
    args = parse_args()
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    suite = RobustnessSuite.fromfile(args.suite, args.suite_options)
    cfg.launcher = args.launcher
    cfg.work_dir = args.work_dir or osp.join(args.out, 'work_dir')
    setup_cpu_distributed(cfg, args.launcher)
    results = run_robustness_suite(
        cfg,
        suite,
        args.data_root,
        args.out,
        args.checkpoint,
        corrupt_on_the_fly=args.corrupt_on_the_fly,
        only=args.only,
        batch_size=args.batch_size)
    if is_main_process():
        with open(osp.join(args.out, 'results.md')) as f:
            print(f.read())
        print(f'reports in {args.out}: results.json, results.md, '
              f'results.png; {len(results["benchmarks"])} run, '
              f'{len(results["skipped"])} skipped')
    teardown_distributed()


if __name__ == '__main__':
    main()
