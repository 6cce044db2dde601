# Copyright (c) mmpart contributors. All rights reserved.
"""Evaluate a checkpoint with the test loop of an mmpart config."""
import argparse
import os
import os.path as osp

from mmengine.config import Config, DictAction
from mmengine.evaluator import DumpResults
from mmengine.fileio import dump
from mmengine.runner import Runner

import mmpart  # noqa: F401  (registers mmpart's modules)
from mmpart.engine.hooks import add_checkpoint_coverage_hook
from mmpart.utils import (register_all_modules, setup_cpu_distributed,
                          teardown_distributed)
from mmpart.utils.config_keys import check_config_keys


def parse_args():
    parser = argparse.ArgumentParser(description='Test (evaluate) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--work-dir', help='the dir to save the evaluation results and logs')
    parser.add_argument(
        '--out', help='dump the metrics (.json) or predictions (.pkl) here')
    parser.add_argument(
        '--allow-partial-checkpoint',
        action='store_true',
        help='test even if the checkpoint does not hold every weight of '
        'the model (the rest keep their initial weights); by default such '
        'a checkpoint, e.g. another model\'s, is refused. A config can '
        'allow it with allow_partial_checkpoint = True')
    parser.add_argument(
        '--strict-config',
        action='store_true',
        help='refuse a config with top-level keys that no runner, hook or '
        'tool reads (by default a warning names them)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, key=value pairs')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def main():
    args = parse_args()
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    check_config_keys(cfg, args.config, args.strict_config)
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    cfg.load_from = args.checkpoint
    add_checkpoint_coverage_hook(cfg, args.allow_partial_checkpoint)
    setup_cpu_distributed(cfg, args.launcher)
    if 'runner_type' not in cfg:
        runner = Runner.from_cfg(cfg)
    else:
        from mmengine.registry import RUNNERS
        runner = RUNNERS.build(cfg)
    if args.out and args.out.endswith('.pkl'):
        runner.test_evaluator.metrics.append(
            DumpResults(out_file_path=args.out))
    metrics = runner.test()
    if args.out and args.out.endswith('.json'):
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        if runner.rank == 0:
            dump(metrics, args.out)
            print(f'metrics written to {args.out}')
    teardown_distributed()


if __name__ == '__main__':
    main()
