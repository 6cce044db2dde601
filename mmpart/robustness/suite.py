# Copyright (c) mmpart contributors. All rights reserved.
"""Run a suite of robustness benchmarks (``configs/robustness/``) with one
runner and one checkpoint, and report them as JSON, markdown and a chart."""
import copy
import json
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

from mmengine.config import Config, ConfigDict
from mmengine.logging import print_log
from mmengine.runner import Runner
from mmpretrain.datasets.transforms import PackInputs

from mmpart.datasets.robustness.wnid_folder_dataset import NoImagesError
from mmpart.datasets.label_space import META_DIR
from mmpart.registry import LOOPS


#: Suite-level settings that strings may name as ``{key}``.
SUITE_VARIABLES = ('classes', 'clean_list', 'attack_list')


def suite_variables(suite: Config, data_root: str) -> dict:
    """The ``{key}`` values of a suite: ``data_root``, ``meta`` and the
    suite's :data:`SUITE_VARIABLES` (themselves filled)."""
    variables = dict(data_root=data_root, meta=META_DIR)
    for key in SUITE_VARIABLES:
        variables[key] = fill_placeholders(suite.get(key), variables)
    return variables


def fill_placeholders(value, variables: dict):
    """Fill ``{key}`` placeholders in every string of ``value``; a string
    that is exactly one placeholder takes the variable's value (even None).
    """
    if isinstance(value, str):
        for key, var in variables.items():
            if value == f'{{{key}}}':
                return var
            if var is not None:
                value = value.replace(f'{{{key}}}', str(var))
        return value
    if isinstance(value, dict):
        return type(value)(
            {k: fill_placeholders(v, variables)
             for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return type(value)(fill_placeholders(v, variables) for v in value)
    return value


def _test_pipeline(cfg: Config, extra_meta_keys: Sequence[str],
                   transform: Optional[dict]) -> List[dict]:
    """The config's test pipeline with ``transform`` inserted before the
    packing step and ``extra_meta_keys`` added to it."""
    pipeline = copy.deepcopy(cfg.test_dataloader.dataset.pipeline)
    pack = max(i for i, t in enumerate(pipeline) if 'Pack' in t['type'])
    if extra_meta_keys:
        keys = pipeline[pack].get('meta_keys', PackInputs.DEFAULT_META_KEYS)
        pipeline[pack]['meta_keys'] = tuple(keys) + tuple(extra_meta_keys)
    if transform is not None:
        pipeline.insert(pack, transform)
    return pipeline


def select_benchmarks(suite: Config, data_root: str,
                      corrupt_on_the_fly: bool = False,
                      only: Optional[Sequence[str]] = None):
    """Split the suite into what can run under ``data_root`` and what not.

    Args:
        suite (Config): A suite config (``benchmarks`` dict).
        data_root (str): The data root.
        corrupt_on_the_fly (bool): Use a benchmark's ``on_the_fly``
            variant when its own data is absent.
        only (Sequence[str], optional): Benchmark names to consider.

    Returns:
        tuple[dict, dict]: ``{name: benchmark}`` to run (placeholders
        filled) and ``{name: reason}`` skipped.
    """
    unknown = set(only or ()) - set(suite.benchmarks)
    if unknown:
        raise KeyError(f'unknown benchmarks {sorted(unknown)}; the suite has '
                       f'{list(suite.benchmarks)}')
    # Absolute, as mmengine datasets join relative paths to their own root.
    data_root = osp.abspath(data_root)
    variables = suite_variables(suite, data_root)
    to_run, skipped = {}, {}
    for name, bench in suite.benchmarks.items():
        if only and name not in only:
            continue
        # Filling rebuilds every container, so the suite is left as it is.
        bench = fill_placeholders(bench, variables)
        if not osp.exists(osp.join(data_root, bench.requires)):
            alt = bench.get('on_the_fly')
            if (corrupt_on_the_fly and alt is not None
                    and osp.exists(osp.join(data_root, alt.requires))):
                bench.dataset, bench.transform = alt.dataset, alt.transform
                bench.source = 'on the fly'
            else:
                skipped[name] = f'{bench.requires} not found in {data_root}'
                continue
        to_run[name] = bench
    return to_run, skipped


def run_benchmark(runner: Runner, cfg: Config, bench: ConfigDict,
                  batch_size: Optional[int] = None) -> Dict[str, float]:
    """Evaluate the runner's model on one benchmark.

    Args:
        runner (Runner): A runner whose ``before_run`` hooks ran and whose
            checkpoint is loaded.
        cfg (Config): The model config (its test dataloader is the base).
        bench (ConfigDict): One benchmark, placeholders filled.
        batch_size (int, optional): Overrides the test batch size.

    Returns:
        dict[str, float]: The evaluators' metrics.
    """
    dataloader = copy.deepcopy(cfg.test_dataloader)
    dataloader.dataset = copy.deepcopy(bench.dataset)
    dataloader.dataset.pipeline = _test_pipeline(
        cfg, bench.get('meta_keys', ()), bench.get('transform'))
    if batch_size:
        dataloader.batch_size = batch_size
    loop = copy.deepcopy(bench.get('loop', dict(type='TestLoop')))
    loop.update(runner=runner, dataloader=dataloader,
                evaluator=copy.deepcopy(bench.evaluator))
    # Hooks (timer, logger) read the loop's dataloader from the runner.
    runner._test_loop = LOOPS.build(loop)
    return runner.test_loop.run()


def write_reports(results: dict, out_dir: str) -> None:
    """Write ``results.json``, ``results.md`` and ``results.png``.

    Args:
        results (dict): ``benchmarks`` ({name: {metrics, headline}}),
            ``skipped`` ({name: reason}) and run facts.
        out_dir (str): Output folder.
    """
    os.makedirs(out_dir, exist_ok=True)
    with open(osp.join(out_dir, 'results.json'), 'w') as f:
        json.dump(results, f, indent=1)
    lines = [f"# Robustness of `{osp.basename(results['checkpoint'])}`", '',
             f"Config `{results['config']}`, data root "
             f"`{results['data_root']}`.", '',
             '| benchmark | metric | value |', '|---|---|---|']
    bars = []
    for name, bench in results['benchmarks'].items():
        for key in bench['headline']:
            value = bench['metrics'].get(key)
            text = 'n/a' if value is None else f'{value:.2f}'
            lines.append(f'| {name} | {key} | {text} |')
            if value is not None and key.endswith('top1'):
                bars.append((f'{name} {key}', value))
    for name, reason in results['skipped'].items():
        lines.append(f'| {name} | skipped | {reason} |')
    with open(osp.join(out_dir, 'results.md'), 'w') as f:
        f.write('\n'.join(lines) + '\n')

    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7, 0.5 + 0.45 * max(len(bars), 1)))
    labels = [label for label, _ in bars]
    values = [value for _, value in bars]
    ax.barh(range(len(bars)), values, color='tab:blue')
    ax.set_yticks(range(len(bars)), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel('top-1 accuracy (%)')
    for i, value in enumerate(values):
        ax.text(min(value + 1, 88), i, f'{value:.1f}', va='center')
    ax.set_title(osp.basename(results['checkpoint']))
    fig.tight_layout()
    fig.savefig(osp.join(out_dir, 'results.png'), dpi=100)
    plt.close(fig)


def run_robustness_suite(runner: Runner,
                         cfg: Config,
                         suite: Config,
                         data_root: str,
                         out_dir: str,
                         checkpoint: str,
                         corrupt_on_the_fly: bool = False,
                         only: Optional[Sequence[str]] = None,
                         batch_size: Optional[int] = None) -> dict:
    """Run every benchmark whose data is present and report all of them.

    Args:
        runner (Runner): A fresh runner built from ``cfg`` with
            ``load_from`` set (distributed or not). The suite calls its
            ``before_run`` hooks, then loads the checkpoint, so hooks such as
            ``EMAHook`` evaluate the weights they would in ``runner.test()``.
        cfg (Config): The model config.
        suite (Config): The suite config.
        data_root (str): Root holding ``imagenet/``, ``imagenet-c/``, ...
        out_dir (str): Where the main process writes the reports.
        checkpoint (str): The checkpoint path (for the reports).
        corrupt_on_the_fly (bool): See :func:`select_benchmarks`.
        only (Sequence[str], optional): Run only these benchmarks.
        batch_size (int, optional): Overrides the test batch size.

    Returns:
        dict: The results written to ``results.json``.
    """
    to_run, skipped = select_benchmarks(suite, data_root, corrupt_on_the_fly,
                                        only)
    for name, reason in skipped.items():
        print_log(f'robustness suite: skipping {name}: {reason}', 'current')
    results = dict(config=cfg.filename, checkpoint=checkpoint,
                   data_root=data_root, benchmarks={}, skipped=skipped)
    runner.call_hook('before_run')
    runner.load_or_resume()
    for name, bench in to_run.items():
        print_log(f'robustness suite: running {name}', 'current')
        try:
            metrics = run_benchmark(runner, cfg, bench, batch_size)
        except NoImagesError as e:
            # Present but holding no usable images (the datasets say why).
            skipped[name] = str(e)
            print_log(f'robustness suite: skipping {name}: {e}', 'current')
            continue
        results['benchmarks'][name] = dict(
            metrics=metrics, headline=list(bench.headline),
            source=bench.get('source', 'files'))
    runner.call_hook('after_run')
    if runner.rank == 0:
        write_reports(results, out_dir)
    return results
