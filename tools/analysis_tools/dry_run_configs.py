# Copyright (c) mmpart contributors. All rights reserved.
"""Dry-run the PIN++-scale configs at the real shapes on a full-shape set.

Each config goes through the real entry points (``tools/train.py``, and on
request ``--resume`` and ``tools/test.py``) with only its data roots, list
sizes (``indices``), iteration counts, batch size, workers, checkpoint and
log intervals overridden, and with ImageNet weights off (none can be
downloaded here; an MPM backbone comes from the dry run of the MPM config
that makes it). The model, crop and input sizes, label spaces, loops,
hooks, evaluators and ``save_best`` are the config's own. A run checks
that its losses are finite and that validation produced the metric the
checkpoint hook selects by.

    python tools/analysis_tools/dry_run_configs.py DATA_ROOT WORK_DIR \\
        [CONFIG ...] [--isolate] [--resume] [--test]

``DATA_ROOT`` holds ``imagenet/`` (the full-shape set of
``tools/misc/make_fullshape_pinpp.py``) and ``pinpp/`` (its conversion
with ``--object-masks --instances --instances-format coco lvis``; the
LVIS-format configs' heads take its files' category count) and
``pinpp_fewshot_official/`` (the official few-shot files of ``pinpp/``'s
bundled class split, ``tools/dataset_converters/pinpp_fewshot_official.py``).
It prints one markdown row per
config: seconds per training step (median of the logged iterations), peak
memory and the whole run's seconds. Without ``--isolate`` all configs run
in this process (faster) and the memory is the process's peak resident
size while the run went on, sampled every 0.1 s (what earlier runs left
allocated included); with it each config trains in its own process and
the memory is that process's peak.
"""
import argparse
import glob
import json
import math
import os
import os.path as osp
import re
import resource
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Dict, Iterator, List, Optional, Set

from mmengine.config import Config

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG_DIR = osp.join(ROOT, 'configs')
#: The config folders at the real scale (``toy/`` and the robustness
#: suites are not training configs at that scale).
FULL_SCALE_DIRS = ('mpm', 'part_seg', 'object_seg', 'instance_seg',
                   'fewshot')
#: The configs' data roots and which folder of ``DATA_ROOT`` replaces each.
DATA_ROOTS = {
    'data/pinpp': 'pinpp',
    'data/imagenet': 'imagenet',
    'data/pinpp_fewshot_official': 'pinpp_fewshot_official',
}
#: The MPM backbone file the ``*-gelu-mpm`` configs start from, and the
#: config whose checkpoint it is (configs/part_seg/README.md).
MPM_BACKBONE = 'checkpoints/mpm_resnet50-gelu.pth'
MPM_BACKBONE_CONFIG = 'mpm/mpm_resnet50-gelu_8xb64-stage2-at-80e_in1k-pinpp.py'
#: The part segmenter whose dry run pseudo-labels the unannotated images
#: before a config that trains on pseudo maps (``pseudo_maps=True``) runs.
PSEUDO_LABEL_CONFIG = 'part_seg/upernet_r50_8xb2-160k_pinpp-parts-512x512.py'
#: The ImageNet-C corruptions of the tiny suite root (the suite's ImageNet-C
#: benchmark is told to expect only these).
TINY_SUITE_CORRUPTIONS = ('gaussian_noise', 'contrast')
#: The robustness suite run on the MPM checkpoint.
SUITE_CONFIG = 'robustness/imagenet_suite.py'
#: Images a training batch holds at most (the recipes' 64 a GPU would take
#: a minute a step on a CPU; the model and input sizes stay).
TRAIN_BATCH = 2
#: Queries a class in a training episode (evaluation keeps its own).
TRAIN_QUERIES = 1
#: Images a validation or test pass holds (but episodic evaluation, which
#: needs every image of the side's classes).
VAL_SAMPLES = 1
LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
#: The detection score threshold of a dry run's validation. An untrained
#: softmax head over 4310 + 1 classes scores every class near 1 / 4311
#: (2.3e-4), above the paper's 1e-4, so all 1000 proposals x 4310 classes
#: would go to mmcv's batched NMS, which loops over the classes with a
#: full-size mask each: about 4 minutes an image on 2 cores, and the mask
#: head then runs on 300 boxes. A trained head's scores are not uniform.
UNTRAINED_SCORE_THR = 0.05
#: Datasets whose classes are their annotation file's categories. The
#: official LVIS-format files have 4308 (3308 parts), the full-shape set's
#: conversion 4310 (every part of the table has a category), so a dry run
#: gives the RoI heads the converted file's count, as a run on the
#: converter's files must.
FILE_CLASS_DATASETS = ('PINPPLVISDataset', )


def full_scale_configs() -> List[str]:
    """Every config of :data:`FULL_SCALE_DIRS`, relative to ``configs/``."""
    found = []
    for folder in FULL_SCALE_DIRS:
        found += glob.glob(osp.join(CONFIG_DIR, folder, '*.py'))
    return sorted(osp.relpath(p, CONFIG_DIR) for p in found)


@dataclass
class DryRun:
    """What one run of a config left.

    Args:
        config (str): The config, relative to ``configs/``.
        kind (str): ``'train'``, ``'resume'`` or ``'test'``.
        work_dir (str): Its work dir.
        losses (dict): Every logged loss term, its values in order.
        step_seconds (list[float]): Logged training-iteration times.
        metrics (dict): The last validation (or test) metrics.
        checkpoint (str): The last checkpoint written ('' for a test).
        best_checkpoint (str): The ``save_best`` checkpoint, if any.
        seconds (float): Wall time of the whole run.
        peak_rss_mb (float): Peak resident memory of the process that ran
            it (that of this process so far, unless isolated).
        log (str): The run's text log.
    """
    config: str
    kind: str
    work_dir: str
    losses: Dict[str, List[float]] = field(default_factory=dict)
    step_seconds: List[float] = field(default_factory=list)
    metrics: Dict[str, float] = field(default_factory=dict)
    checkpoint: str = ''
    best_checkpoint: str = ''
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    log: str = ''

    @property
    def step_median(self) -> float:
        """Median logged training-step time (s), NaN without any."""
        return statistics.median(self.step_seconds) \
            if self.step_seconds else math.nan


def _load_tool(name: str):
    """Import ``tools/<name>.py`` as a module (its ``main`` not run)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        name, osp.join(ROOT, 'tools', name + '.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rss_mb() -> float:
    """This process's resident memory now, in MB (``/proc/self/statm``)."""
    with open('/proc/self/statm') as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() / 2**20


@contextmanager
def _peak_rss(interval: float = 0.1) -> Iterator[List[float]]:
    """Sample this process's resident memory while the block runs.

    The process's own peak (``ru_maxrss``) only grows, so after a first
    run it no longer tells a later run's: a sampling thread does.

    Yields:
        list[float]: One element, the peak in MB once the block is done.
    """
    peak = [_rss_mb()]
    done = threading.Event()

    def sample():
        while not done.wait(interval):
            peak[0] = max(peak[0], _rss_mb())

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        done.set()
        thread.join()
        peak[0] = max(peak[0], _rss_mb())


@contextmanager
def _argv(args: List[str]) -> Iterator[None]:
    saved = sys.argv
    sys.argv = args
    try:
        yield
    finally:
        sys.argv = saved


def _innermost(dataset: dict) -> dict:
    """The dataset a wrapper (``ClassBalancedDataset``) finally wraps."""
    while 'dataset' in dataset:
        dataset = dataset['dataset']
    return dataset


def _run_names(name: str) -> Dict[str, str]:
    """Options naming a run's runner and visualizer ``name``.

    mmengine keeps one instance per name of the message hub, logger and
    visualizer in a process, and mmseg's and mmdet's runtimes name their
    visualizer ``'visualizer'``: without a name of its own, a second run in
    the same process would log its scalars into the first one's folder.
    """
    return {'experiment_name': name, 'visualizer.name': name}


def _types(evaluator) -> List[str]:
    """The metric types of an evaluator config (one metric or a list)."""
    metrics = evaluator if isinstance(evaluator, list) else [evaluator]
    return [m.get('type') for m in metrics if isinstance(m, dict)]


def _is_iter_based(cfg: Config) -> bool:
    return 'max_iters' in (cfg.get('train_cfg') or {})


def _remote_pretrained(node, path: str = '') -> Iterator[tuple]:
    """The weights ``init_cfg`` / ``pretrained`` entries under ``node``
    name (a URL or a file).

    Yields:
        tuple[str, str, str]: The entry's dotted key, the dotted key of its
        checkpoint path (itself for ``pretrained``) and that path.
    """
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        here = f'{path}.{key}' if path else key
        if key == 'pretrained' and isinstance(value, str):
            yield here, here, value
        elif key == 'init_cfg' and isinstance(value, dict) and \
                value.get('type') == 'Pretrained':
            yield here, here + '.checkpoint', value['checkpoint']
        else:
            yield from _remote_pretrained(value, here)


def _num_classes_keys(node, path: str) -> Iterator[str]:
    """The dotted keys of the ``num_classes`` entries under ``node``,
    list items by index (a cascade's box heads)."""
    items = node.items() if isinstance(node, dict) else enumerate(
        node) if isinstance(node, (list, tuple)) else ()
    for key, value in items:
        here = f'{path}.{key}'
        if key == 'num_classes':
            yield here
        else:
            yield from _num_classes_keys(value, here)


class ConfigDryRunner:
    """Dry runs of configs on one full-shape set, each kept once made.

    A config that starts from another one's checkpoint (``load_from``
    ``work_dirs/<config>/...``, the MPM backbone file) has that one run
    first and starts from its checkpoint.

    Args:
        data_root (str): Holds ``imagenet/`` and ``pinpp/``.
        work_dir (str): Where the runs' work dirs go.
        isolate (bool): Train each config in its own process (the memory
            column is then that process's). Defaults to False.
    """

    def __init__(self, data_root: str, work_dir: str, isolate: bool = False):
        self.data_root = osp.abspath(data_root)
        self.work_dir = osp.abspath(work_dir)
        self.isolate = isolate
        self.runs: Dict[tuple, DryRun] = {}
        #: Every run made, in order (``release`` keeps them here).
        self.history: List[DryRun] = []

    # -- the overrides -----------------------------------------------------
    def _data_path(self, path: str) -> str:
        for prefix, folder in DATA_ROOTS.items():
            if path == prefix or path.startswith(prefix + '/'):
                return osp.join(self.data_root, folder) + path[len(prefix):]
        return path

    def dependency(self, path: str) -> Optional[str]:
        """The config whose dry run stands for a checkpoint path."""
        if path == MPM_BACKBONE:
            return MPM_BACKBONE_CONFIG
        match = re.match(r'work_dirs/([^/]+)/', path)
        if match:
            found = glob.glob(
                osp.join(CONFIG_DIR, '*', match.group(1) + '.py'))
            if found:
                return osp.relpath(found[0], CONFIG_DIR)
        return None

    def dependencies(self, config: str) -> Set[str]:
        """The configs whose dry runs ``config``'s dry run starts from
        (checkpoints, pseudo labels), without running anything.

        Args:
            config (str): Relative to ``configs/``.

        Returns:
            set[str]: Those configs, relative to ``configs/``.
        """
        cfg = Config.fromfile(osp.join(CONFIG_DIR, config))
        paths = [cfg.get('load_from') or '']
        paths += [p for _, _, p in _remote_pretrained(cfg.model, 'model')]
        found = {self.dependency(p) for p in paths} - {None}
        if _innermost(cfg.train_dataloader.dataset).get('pseudo_maps'):
            found.add(PSEUDO_LABEL_CONFIG)
        return found

    def release(self, keep: Set[str]) -> None:
        """Delete the checkpoints of every run but those of ``keep``'s
        configs (a ResNet-50 checkpoint with its optimizer state is a few
        hundred MB), and forget those runs.

        Args:
            keep (set[str]): Configs whose runs stay.
        """
        for key in [k for k in self.runs if k[0] not in keep]:
            for path in glob.glob(osp.join(self.runs.pop(key).work_dir,
                                           '*.pth')):
                os.remove(path)

    def _start_checkpoint(self, path: str) -> Optional[str]:
        dependency = self.dependency(path)
        if dependency is None:
            return None
        run = self.train(dependency)
        return run.best_checkpoint or run.checkpoint

    def options(self, config: str, steps: int = 1) -> Dict[str, object]:
        """The ``--cfg-options`` of a dry run of ``config``.

        Args:
            config (str): Relative to ``configs/``.
            steps (int): Training iterations (iteration-based loops) or
                epochs of one iteration each (epoch-based ones).

        Returns:
            dict: Dotted key to value.
        """
        cfg = Config.fromfile(osp.join(CONFIG_DIR, config))
        opts: Dict[str, object] = {}
        for loader in LOADERS:
            if cfg.get(loader) is None:
                continue
            opts[f'{loader}.num_workers'] = 0
            opts[f'{loader}.persistent_workers'] = False
            inner, key = cfg[loader].dataset, f'{loader}.dataset'
            while 'dataset' in inner:
                inner, key = inner.dataset, key + '.dataset'
            if 'data_root' in inner:
                opts[f'{key}.data_root'] = self._data_path(inner.data_root)
            batch_sampler = cfg[loader].get('batch_sampler') or {}
            if batch_sampler.get('type') == 'EpisodicBatchSampler':
                # One episode, with one query a class (the episode is the
                # batch: 100 images of 15 queries would take a minute a
                # step); the model splits its batches the same way.
                shots = batch_sampler.get('num_shots', 5)
                ways = batch_sampler.get('num_ways', 5)
                opts[f'{loader}.batch_sampler.num_episodes'] = 1
                opts[f'{loader}.batch_sampler.num_queries'] = TRAIN_QUERIES
                opts[f'{loader}.batch_size'] = ways * (shots + TRAIN_QUERIES)
                opts['model.num_queries'] = TRAIN_QUERIES
            elif loader == 'train_dataloader':
                # One batch an epoch; iteration-based loops sample on.
                batch = min(cfg[loader].batch_size, TRAIN_BATCH)
                opts[f'{loader}.batch_size'] = batch
                opts[f'{key}.indices'] = batch
            elif not any(
                    t.endswith('EpisodicAccuracy') for t in _types(
                        cfg.get(loader.replace('dataloader', 'evaluator')))):
                # Episodes need every image of the side's classes.
                opts[f'{key}.indices'] = VAL_SAMPLES
        for evaluator in ('val_evaluator', 'test_evaluator'):
            value = cfg.get(evaluator)
            if isinstance(value, dict) and 'ann_file' in value:
                opts[f'{evaluator}.ann_file'] = self._data_path(
                    value.ann_file)
        if _is_iter_based(cfg):
            opts['train_cfg.max_iters'] = steps
            opts['train_cfg.val_interval'] = steps
            opts['default_hooks.checkpoint.interval'] = 1
        else:
            opts['train_cfg.max_epochs'] = steps
            opts['train_cfg.val_interval'] = steps
        opts['default_hooks.logger.interval'] = 1
        rcnn = (cfg.model.get('test_cfg') or {}).get('rcnn') or {}
        if rcnn.get('score_thr', 1) < UNTRAINED_SCORE_THR:
            opts['model.test_cfg.rcnn.score_thr'] = UNTRAINED_SCORE_THR
        for key, checkpoint_key, path in _remote_pretrained(
                cfg.model, 'model'):
            start = self._start_checkpoint(path)
            if start is None:
                opts[key] = None
            else:
                opts[checkpoint_key] = start
        if cfg.get('load_from'):
            opts['load_from'] = self._start_checkpoint(cfg.load_from)
        if _innermost(cfg.train_dataloader.dataset).get('pseudo_maps'):
            self.pseudo_label()
        opts.update(self._file_classes(cfg))
        return opts

    def _file_classes(self, cfg: Config) -> Dict[str, int]:
        """The RoI heads' ``num_classes`` options of a config whose train
        dataset takes its classes from its file
        (:data:`FILE_CLASS_DATASETS`): the category count of that file in
        the set; none for other configs."""
        dataset = _innermost(cfg.train_dataloader.dataset)
        if dataset.get('type') not in FILE_CLASS_DATASETS:
            return {}
        with open(osp.join(self._data_path(dataset.data_root),
                           dataset.ann_file)) as f:
            num_classes = len(json.load(f)['categories'])
        return {
            key: num_classes
            for key in _num_classes_keys(cfg.model.roi_head,
                                         'model.roi_head')
        }

    # -- running -----------------------------------------------------------
    def _run_dir(self, config: str, kind: str) -> str:
        name = osp.splitext(config)[0].replace(os.sep, '__')
        return osp.join(self.work_dir, name, kind)

    def _launch(self, tool: str, args: List[str]) -> float:
        """Run ``tools/<tool>.py`` with ``args`` here or in a child
        process; return the peak resident size in MB."""
        if not self.isolate:
            module = _load_tool(tool)
            with _argv([tool + '.py'] + args), _peak_rss() as peak:
                module.main()
            return peak[0]
        proc = subprocess.Popen(
            [sys.executable, osp.join(ROOT, 'tools', tool + '.py')] + args,
            cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            raise RuntimeError(f'tools/{tool}.py {" ".join(args)} failed '
                               f'with return code {proc.returncode}')
        return usage.ru_maxrss / 1024

    def _collect(self, run: DryRun) -> DryRun:
        """Read losses, step times, metrics and checkpoints of a run."""
        logs = sorted(glob.glob(
            osp.join(run.work_dir, '*', 'vis_data', 'scalars.json')))
        for line in open(logs[-1]) if logs else ():
            record = json.loads(line)
            if 'loss' in record:
                run.step_seconds.append(record.get('time', math.nan))
                for key, value in record.items():
                    if key.startswith('loss') or '.loss' in key or \
                            key.startswith('decode.') or \
                            key.startswith('aux.'):
                        run.losses.setdefault(key, []).append(value)
            else:
                run.metrics.update({
                    k: v
                    for k, v in record.items()
                    if k not in ('step', 'epoch', 'iter', 'time', 'data_time')
                })
        texts = sorted(glob.glob(osp.join(run.work_dir, '*', '*.log')))
        run.log = open(texts[-1]).read() if texts else ''
        last = osp.join(run.work_dir, 'last_checkpoint')
        if osp.exists(last):
            run.checkpoint = open(last).read().strip()
        best = glob.glob(osp.join(run.work_dir, 'best_*.pth'))
        run.best_checkpoint = best[0] if best else ''
        return run

    def _train(self, config: str, kind: str, steps: int,
               extra: List[str]) -> DryRun:
        work_dir = self._run_dir(config, kind)
        opts = self.options(config, steps)
        if '--resume' in extra:
            # --resume sets load_from; the option would come after it.
            opts.pop('load_from', None)
        opts.update(_run_names(f'{kind}-{time.time()}'))
        args = [osp.join(CONFIG_DIR, config), '--work-dir', work_dir
                ] + extra + ['--cfg-options'] + [
                    f'{k}={v}' for k, v in opts.items()]
        start = time.perf_counter()
        peak = self._launch('train', args)
        run = DryRun(config, kind, work_dir, seconds=time.perf_counter() -
                     start, peak_rss_mb=peak)
        self.history.append(self._collect(run))
        return run

    def train(self, config: str) -> DryRun:
        """Train ``config`` for one step (kept once made).

        Args:
            config (str): Relative to ``configs/``.

        Returns:
            DryRun: The run.
        """
        key = (config, 'train')
        if key not in self.runs:
            self.runs[key] = self._train(config, 'train', 1, [])
        return self.runs[key]

    def resume(self, config: str) -> DryRun:
        """Resume ``config`` from its dry run's checkpoint for a second
        step.

        Args:
            config (str): Relative to ``configs/``.

        Returns:
            DryRun: The resumed run.
        """
        key = (config, 'resume')
        if key not in self.runs:
            checkpoint = self.train(config).checkpoint
            self.runs[key] = self._train(config, 'resume', 2,
                                         ['--resume', checkpoint])
        return self.runs[key]

    def scoring_config(self, config: str) -> str:
        """The config whose test loop scores ``config``'s checkpoints: its
        own, or for one without a test loop (few-shot pre-training) the
        first config that starts from it (its meta stage, which scores any
        checkpoint of its backbone).

        Args:
            config (str): Relative to ``configs/``.

        Returns:
            str: Relative to ``configs/``.

        Raises:
            ValueError: No config scores it.
        """
        if Config.fromfile(osp.join(CONFIG_DIR,
                                    config)).get('test_dataloader'):
            return config
        for other in full_scale_configs():
            cfg = Config.fromfile(osp.join(CONFIG_DIR, other))
            if cfg.get('test_dataloader') and self.dependency(
                    cfg.get('load_from') or '') == config:
                return other
        raise ValueError(f'{config} has no test loop and no config starts '
                         'from it')

    def test(self, config: str) -> DryRun:
        """``tools/test.py`` on the checkpoint of ``config``'s dry run,
        with the config of :meth:`scoring_config`.

        Args:
            config (str): Relative to ``configs/``.

        Returns:
            DryRun: The test run; ``checkpoint`` is the tested file.
        """
        key = (config, 'test')
        if key not in self.runs:
            trained = self.train(config)
            checkpoint = trained.best_checkpoint or trained.checkpoint
            work_dir = self._run_dir(config, 'test')
            out = osp.join(work_dir, 'metrics.json')
            scorer = self.scoring_config(config)
            opts = {
                k: v
                for k, v in self.options(scorer).items()
                if k.startswith(('test_', 'model.'))
            }
            opts.update(_run_names(f'test-{time.time()}'))
            args = [
                osp.join(CONFIG_DIR, scorer), checkpoint, '--work-dir',
                work_dir, '--out', out, '--cfg-options'
            ] + [f'{k}={v}' for k, v in opts.items()]
            start = time.perf_counter()
            peak = self._launch('test', args)
            run = self._collect(
                DryRun(config, 'test', work_dir,
                       seconds=time.perf_counter() - start,
                       peak_rss_mb=peak))
            with open(out) as f:
                run.metrics = json.load(f)
            run.checkpoint = checkpoint
            self.runs[key] = run
        return self.runs[key]

    def pseudo_label(self) -> dict:
        """``tools/pseudo_label.py`` with the dry-run part segmenter of
        :data:`PSEUDO_LABEL_CONFIG` on the unannotated train images, at
        3311 classes, into the set's PIN++ root (once).

        Returns:
            dict: The job's report (``pseudo_label_report.json``).
        """
        pinpp = osp.join(self.data_root, 'pinpp')
        report = osp.join(pinpp, 'pseudo_label_report.json')
        if not osp.exists(report):
            segmenter = self.train(PSEUDO_LABEL_CONFIG)
            self._launch('pseudo_label', [
                osp.join(CONFIG_DIR, PSEUDO_LABEL_CONFIG),
                segmenter.checkpoint, '--data-root', pinpp,
                '--imagenet-train',
                osp.join(self.data_root, 'imagenet', 'train'),
                '--batch-size', '2', '--num-workers', '0', '--device', 'cpu'
            ])
        with open(report) as f:
            return json.load(f)

    def robustness(self, config: str = MPM_BACKBONE_CONFIG) -> dict:
        """The robustness suite (:data:`SUITE_CONFIG`) on the dry-run
        checkpoint of ``config``, on a tiny suite root
        (:func:`write_tiny_suite_root`).

        Args:
            config (str): A 1000-class classifier config.

        Returns:
            dict: The suite's ``results.json``.
        """
        out = self._run_dir(config, 'robustness')
        results = osp.join(out, 'results.json')
        if not osp.exists(results):
            trained = self.train(config)
            suite_root = osp.join(self.work_dir, 'suite_root')
            lists = write_tiny_suite_root(
                osp.join(self.data_root, 'imagenet'), suite_root)
            opts = {
                k: v
                for k, v in self.options(config).items()
                if k.startswith('model.')
            }
            self._launch('analysis_tools/robustness_suite', [
                osp.join(CONFIG_DIR, config),
                trained.best_checkpoint or trained.checkpoint,
                '--data-root', suite_root, '--out', out, '--suite',
                osp.join(CONFIG_DIR, SUITE_CONFIG), '--batch-size',
                str(VAL_SAMPLES), '--suite-options',
                f'clean_list={lists}', f'attack_list={lists}',
                'benchmarks.imagenet_c.dataset.corruptions=[{}]'.format(
                    ','.join(TINY_SUITE_CORRUPTIONS))
            ] + (['--cfg-options'] + [f'{k}={v}' for k, v in opts.items()]
                 if opts else []))
        with open(results) as f:
            return json.load(f)


def write_tiny_suite_root(imagenet: str, out_dir: str) -> str:
    """A robustness-suite root in the layout of :data:`SUITE_CONFIG` with
    a few images a benchmark, from a full-shape set's val images.

    ``imagenet/val`` links to the set's val folder; ImageNet-C holds the
    :data:`TINY_SUITE_CORRUPTIONS` at all severities of the first val
    image; ImageNet-R, -A, -A-Plus, -Sketch and Stylized-ImageNet hold val
    images of their classes; cue-conflict holds two images named as its 16
    categories.

    Args:
        imagenet (str): The full-shape set (``val/``, ``meta/val.txt``).
        out_dir (str): The suite root to write.

    Returns:
        str: The list of the val images used (clean and attacks).
    """
    import shutil

    import cv2

    from mmpart.converters.imagenet_c_writer import write_imagenet_c
    from mmpart.datasets.lists import read_image_list, read_wnid_list
    from mmpart.datasets.robustness import IMAGENET_A_WNIDS, IMAGENET_R_WNIDS
    val = osp.join(imagenet, 'val')
    entries = read_image_list(osp.join(imagenet, 'meta', 'val.txt'))
    os.makedirs(osp.join(out_dir, 'imagenet'), exist_ok=True)
    if not osp.lexists(osp.join(out_dir, 'imagenet', 'val')):
        os.symlink(val, osp.join(out_dir, 'imagenet', 'val'))
    # Images of classes other than the first: an untrained classifier
    # (tied logits) predicts class 0, so it gets these wrong and AutoAttack,
    # which attacks only what is classified right, does not spend an hour
    # of Square queries on a 224 px ResNet-50 on the CPU.
    lists = osp.join(out_dir, 'val_subset.txt')
    with open(lists, 'w') as f:
        f.writelines(f'{e.path} {e.label}\n'
                     for e in [e for e in entries if e.label][:VAL_SAMPLES])
    first = osp.join(out_dir, 'first.txt')
    with open(first, 'w') as f:
        f.write(f'{entries[0].path}\n')
    write_imagenet_c(first, val, osp.join(out_dir, 'imagenet-c'),
                     TINY_SUITE_CORRUPTIONS, (1, 2, 3, 4, 5), crop=None,
                     seed=0)
    for folder, wnids in (('imagenet-r', IMAGENET_R_WNIDS),
                          ('imagenet-a', IMAGENET_A_WNIDS),
                          ('imagenet-a-plus', IMAGENET_A_WNIDS),
                          ('imagenet-sketch/sketch', None),
                          ('stylized-imagenet/val', None)):
        wanted = set(read_wnid_list(wnids)) if wnids else None
        taken = [e for e in entries if wanted is None or e.wnid in wanted]
        for entry in taken[:VAL_SAMPLES]:
            target = osp.join(out_dir, folder, entry.path)
            os.makedirs(osp.dirname(target), exist_ok=True)
            shutil.copyfile(osp.join(val, entry.path), target)
    image = cv2.imread(osp.join(val, entries[0].path))
    for shape, texture in (('airplane', 'bicycle'), ('bicycle', 'airplane')):
        target = osp.join(out_dir, 'cue-conflict', shape,
                          f'{shape}1-{texture}1.png')
        os.makedirs(osp.dirname(target), exist_ok=True)
        cv2.imwrite(target, image)
    return lists


def check_run(run: DryRun) -> None:
    """Raise unless a training run's losses are finite and its validation
    produced the metric its checkpoint hook keeps the best of (and, for a
    first run, the best checkpoint: a resumed run keeps the best score it
    resumed, so a worse one writes none).

    Args:
        run (DryRun): A ``train`` or ``resume`` run.

    Raises:
        AssertionError: What is wrong, naming the config.
    """
    assert run.losses, f'{run.config}: no loss was logged'
    for key, values in run.losses.items():
        assert all(math.isfinite(v) for v in values), \
            f'{run.config}: {key} is not finite: {values}'
    cfg = Config.fromfile(osp.join(CONFIG_DIR, run.config))
    save_best = (cfg.default_hooks.get('checkpoint') or {}).get('save_best')
    if cfg.get('val_cfg'):
        assert run.metrics, f'{run.config}: validation wrote no metric'
    if save_best and save_best != 'auto':
        for key in [save_best] if isinstance(save_best, str) else save_best:
            assert key in run.metrics, (
                f'{run.config}: save_best {key!r} is not among the '
                f'validation metrics {sorted(run.metrics)}')
    if save_best and run.kind == 'train':
        assert run.best_checkpoint, f'{run.config}: no best checkpoint'
    assert run.checkpoint and osp.exists(run.checkpoint), \
        f'{run.config}: no checkpoint written'


def saved_step(run: DryRun) -> int:
    """The step a run's last checkpoint was saved at: its iteration for an
    iteration-based loop, its epoch otherwise (one iteration each here).

    Args:
        run (DryRun): A ``train`` or ``resume`` run.

    Returns:
        int: The step, from the checkpoint's ``meta``.
    """
    from mmengine.runner import CheckpointLoader

    from mmpart.utils import enable_verified_checkpoint_loaders

    # A runner checkpoint: weights-only loading needs mmpart's allow-list.
    enable_verified_checkpoint_loaders()
    meta = CheckpointLoader.load_checkpoint(run.checkpoint,
                                            map_location='cpu')['meta']
    cfg = Config.fromfile(osp.join(CONFIG_DIR, run.config))
    return meta['iter'] if _is_iter_based(cfg) else meta['epoch']


def table_row(run: DryRun) -> str:
    """One markdown row: config, s/step, peak memory, wall time."""
    return (f'| `{run.config}` | {run.step_median:.1f} | '
            f'{run.peak_rss_mb / 1024:.1f} | {run.seconds:.0f} |')


def table(runs: List[DryRun]) -> str:
    """The markdown table of the training runs among ``runs``."""
    return '\n'.join([
        '| config | s / step | peak memory (GB) | run, validation included '
        '(s) |', '|---|---|---|---|'
    ] + [table_row(r) for r in runs if r.kind == 'train'])


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        'data_root',
        help='holds imagenet/, pinpp/ and pinpp_fewshot_official/')
    parser.add_argument('work_dir', help='where the runs go')
    parser.add_argument('configs', nargs='*',
                        help='configs relative to configs/ (default: all '
                        'PIN++-scale ones)')
    parser.add_argument('--isolate', action='store_true',
                        help='each config in its own process')
    parser.add_argument('--resume', action='store_true',
                        help='also resume each for a second step')
    parser.add_argument('--test', action='store_true',
                        help='also run tools/test.py on each checkpoint')
    return parser.parse_args()


def main():
    args = parse_args()
    runner = ConfigDryRunner(args.data_root, args.work_dir, args.isolate)
    for config in args.configs or full_scale_configs():
        run = runner.train(config)
        check_run(run)
        if args.resume:
            check_run(runner.resume(config))
        if args.test:
            runner.test(config)
        print(table_row(run), flush=True)
    print(table(runner.history))


if __name__ == '__main__':
    main()
