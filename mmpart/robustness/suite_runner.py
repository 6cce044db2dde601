# Copyright (c) mmpart contributors. All rights reserved.
"""Run a robustness suite: one mmengine ``Runner`` per benchmark, tested as
``runner.test()`` tests (hooks, then the checkpoint, then the loop)."""
import copy
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

from mmengine.config import Config
from mmengine.dist import is_main_process
from mmengine.logging import MMLogger
from mmengine.runner import Runner
from mmpretrain.datasets.transforms import PackInputs

from mmpart.datasets.robustness import NoImagesError
from mmpart.engine.hooks import add_checkpoint_coverage_hook
from .reports import write_reports
from .suite_config import Benchmark, RobustnessSuite

#: Model-config keys a test-only runner does not take.
_TRAINING_KEYS = ('train_dataloader', 'train_cfg', 'val_dataloader',
                  'val_cfg', 'val_evaluator', 'optim_wrapper',
                  'param_scheduler', 'auto_scale_lr')


def _test_pipeline(cfg: Config, bench: Benchmark) -> List[dict]:
    """The config's test pipeline, its steps before the packing step
    replaced by the benchmark's ``pipeline`` if it has one, with the
    benchmark's transform inserted before the packing step and its meta
    keys added to it."""
    pipeline = copy.deepcopy(cfg.test_dataloader.dataset.pipeline)
    pack = max(i for i, t in enumerate(pipeline) if 'Pack' in t['type'])
    if bench.pipeline is not None:
        pipeline = copy.deepcopy(list(bench.pipeline)) + pipeline[pack:]
        pack = len(bench.pipeline)
    if bench.meta_keys:
        keys = pipeline[pack].get('meta_keys', PackInputs.DEFAULT_META_KEYS)
        pipeline[pack]['meta_keys'] = tuple(keys) + tuple(bench.meta_keys)
    if bench.transform is not None:
        pipeline.insert(pack, copy.deepcopy(bench.transform))
    return pipeline


def benchmark_runner_cfg(cfg: Config,
                         bench: Benchmark,
                         checkpoint: str,
                         batch_size: Optional[int] = None) -> Config:
    """The runner config that tests the model on one benchmark.

    Args:
        cfg (Config): The model config (its ``work_dir`` set); its test
            dataloader gives the pipeline and loader settings.
        bench (Benchmark): The benchmark, placeholders filled.
        checkpoint (str): The checkpoint to load.
        batch_size (int, optional): Overrides the test batch size.

    Returns:
        Config: A test-only config: the benchmark's dataset, loop and
        evaluator, ``load_from=checkpoint`` (checked to cover the model,
        see :class:`~mmpart.engine.hooks.CheckpointCoverageHook`), logs in
        ``<work_dir>/<benchmark>``.
    """
    runner_cfg = copy.deepcopy(cfg)
    for key in _TRAINING_KEYS:
        runner_cfg.pop(key, None)
    dataloader = copy.deepcopy(cfg.test_dataloader)
    dataloader.dataset = copy.deepcopy(bench.dataset)
    dataloader.dataset.pipeline = _test_pipeline(cfg, bench)
    if batch_size:
        dataloader.batch_size = batch_size
    runner_cfg.test_dataloader = dataloader
    runner_cfg.test_cfg = copy.deepcopy(bench.loop)
    runner_cfg.test_evaluator = copy.deepcopy(bench.evaluator)
    runner_cfg.load_from = checkpoint
    runner_cfg.resume = False
    # Refuse another model's checkpoint, as tools/test.py does.
    add_checkpoint_coverage_hook(runner_cfg)
    runner_cfg.work_dir = osp.join(cfg.work_dir, bench.name)
    # Unique logger, message hub and visualizer names within the suite.
    runner_cfg.experiment_name = f'robustness_{bench.name}'
    # Suite types (datasets, loops, metrics) are mmpart's; the mmpart scope
    # reaches mmpretrain's modules too, so any mmpretrain model builds.
    runner_cfg.default_scope = 'mmpart'
    return runner_cfg


def run_benchmark(cfg: Config,
                  bench: Benchmark,
                  checkpoint: str,
                  batch_size: Optional[int] = None) -> Dict[str, float]:
    """Evaluate the checkpoint on one benchmark.

    A fresh runner runs ``test()``: its ``before_run`` hooks, then the
    checkpoint (so hooks such as ``EMAHook`` evaluate the weights they would
    in ``tools/test.py``), then the benchmark's loop.

    Args:
        cfg (Config): The model config, ``work_dir`` (and for a distributed
            run ``launcher``) set.
        bench (Benchmark): The benchmark, placeholders filled.
        checkpoint (str): The checkpoint.
        batch_size (int, optional): Overrides the test batch size.

    Returns:
        dict[str, float]: The evaluators' metrics.
    """
    runner = Runner.from_cfg(
        benchmark_runner_cfg(cfg, bench, checkpoint, batch_size))
    return runner.test()


def run_robustness_suite(cfg: Config,
                         suite: RobustnessSuite,
                         data_root: str,
                         out_dir: str,
                         checkpoint: str,
                         corrupt_on_the_fly: bool = False,
                         only: Optional[Sequence[str]] = None,
                         batch_size: Optional[int] = None) -> dict:
    """Run every benchmark whose data is present and report all of them.

    A benchmark whose data folder is present but holds no usable image
    (``NoImagesError``) is reported as skipped with the dataset's reason.
    The suite's own messages go to ``<work_dir>/robustness_suite.log``,
    each benchmark's run log to ``<work_dir>/<benchmark>/``.

    Args:
        cfg (Config): The model config with ``work_dir`` set (and
            ``launcher`` for a distributed run).
        suite (RobustnessSuite): The suite.
        data_root (str): Root holding ``imagenet/``, ``imagenet-c/``, ...
        out_dir (str): Where the main process writes the reports.
        checkpoint (str): The checkpoint.
        corrupt_on_the_fly (bool): See :meth:`RobustnessSuite.select`.
        only (Sequence[str], optional): Run only these benchmarks.
        batch_size (int, optional): Overrides the test batch size.

    Returns:
        dict: The results written to ``results.json``.

    Examples:
        >>> cfg = Config.fromfile(config)
        >>> cfg.work_dir = 'work_dirs/robustness/work_dir'
        >>> results = run_robustness_suite(
        ...     cfg, RobustnessSuite.fromfile(suite_file), 'data/robustness',
        ...     'work_dirs/robustness', checkpoint)
    """
    to_run, skipped = suite.select(data_root, corrupt_on_the_fly, only)
    os.makedirs(cfg.work_dir, exist_ok=True)
    log_file = osp.abspath(osp.join(cfg.work_dir, 'robustness_suite.log'))
    logger = MMLogger.get_instance(
        f'mmpart_robustness_suite:{log_file}', log_file=log_file)
    for name, reason in skipped.items():
        logger.info(f'robustness suite: skipping {name}: {reason}')
    results = dict(
        config=cfg.filename,
        checkpoint=checkpoint,
        data_root=data_root,
        benchmarks={},
        skipped=skipped)
    for name, bench in to_run.items():
        logger.info(f'robustness suite: running {name}')
        try:
            metrics = run_benchmark(cfg, bench, checkpoint, batch_size)
        except NoImagesError as error:
            skipped[name] = str(error)
            logger.info(f'robustness suite: skipping {name}: {error}')
            continue
        results['benchmarks'][name] = dict(
            metrics=metrics,
            headline=list(bench.headline),
            source=bench.source)
    if is_main_process():
        write_reports(results, out_dir)
    return results
