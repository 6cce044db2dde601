# Copyright (c) mmpart contributors. All rights reserved.
"""Compare the robustness-suite results of several models: one markdown
table and one chart.

    python tools/analysis_tools/compare_robustness.py \
        work_dirs/mpm_.../robustness/results.json \
        work_dirs/resnet18_.../robustness/results.json --out OUT

Reads each ``results.json`` that ``tools/analysis_tools/robustness_suite.py``
wrote and writes ``OUT.md`` (a row per benchmark and headline metric, a
column per model) and ``OUT.png`` (grouped bars per benchmark, one colour per
model, the headline top-1 accuracies the suite's own chart draws). Models are
named by their config file, not their checkpoint (every run's checkpoint is
``epoch_N.pth``); two results of one config add the checkpoint's name.
"""
import argparse
import json
import os.path as osp
from typing import Dict, List

from mmpart.robustness import headline_accuracies

#: The keys of a suite result this tool reads (see
#: :func:`mmpart.robustness.write_reports`).
RESULT_KEYS = ('benchmarks', 'skipped', 'config', 'checkpoint')


def load_result(path: str) -> dict:
    """Read one suite ``results.json``.

    Args:
        path (str): The file.

    Returns:
        dict: The suite's results.

    Raises:
        ValueError: If the file is not JSON or lacks a key of a suite
            result (another tool's output), naming the file.
    """
    try:
        with open(path) as f:
            results = json.load(f)
    except json.JSONDecodeError as e:
        raise ValueError(f'{path}: not a JSON file ({e})') from e
    missing = [key for key in RESULT_KEYS
               if not isinstance(results, dict) or key not in results]
    if missing:
        raise ValueError(f'{path}: not a robustness-suite result, no '
                         f'{missing} (written by robustness_suite.py)')
    return results


def model_names(results: List[dict]) -> List[str]:
    """Name each result by its config file; results of one config (e.g.
    two checkpoints of a run) add the checkpoint's file name.

    Args:
        results (list[dict]): The suite results.

    Returns:
        list[str]: A distinct name per result.

    Raises:
        ValueError: If two results have the same config and checkpoint.
    """
    configs = [osp.splitext(osp.basename(r['config']))[0] for r in results]
    names = [
        f"{config} ({osp.basename(r['checkpoint'])})"
        if configs.count(config) > 1 else config
        for config, r in zip(configs, results)
    ]
    for name in names:
        if names.count(name) > 1:
            raise ValueError(f'two results of {name}: give each model once')
    return names


def _cell(results: dict, benchmark: str, key: str) -> str:
    """One table cell: the value, ``skipped`` (with the suite's reason
    in the legend), ``n/a`` (run, no such metric) or ``-`` (not run)."""
    if benchmark in results['skipped']:
        return 'skipped'
    bench = results['benchmarks'].get(benchmark)
    if bench is None:
        return '-'
    value = bench['metrics'].get(key)
    return 'n/a' if value is None else f'{value:.2f}'


def comparison_table(named: Dict[str, dict]) -> str:
    """The markdown table: a row per benchmark and headline metric (in
    the order the results list them), a column per model.

    Args:
        named (dict[str, dict]): The suite results by model name.

    Returns:
        str: The table, with a line naming each model's checkpoint.
    """
    rows = []
    for results in named.values():
        for benchmark, bench in results['benchmarks'].items():
            rows += [(benchmark, key) for key in bench['headline']
                     if (benchmark, key) not in rows]
    # A benchmark every model skipped: one row saying so.
    for results in named.values():
        rows += [(benchmark, '') for benchmark in results['skipped']
                 if all(row[0] != benchmark for row in rows)]
    lines = [
        '| benchmark | metric | ' + ' | '.join(named) + ' |',
        '|---|---|' + '---|' * len(named)
    ]
    for benchmark, key in rows:
        cells = [_cell(r, benchmark, key) for r in named.values()]
        lines.append(f'| {benchmark} | {key} | ' + ' | '.join(cells) + ' |')
    lines.append('')
    for name, results in named.items():
        lines.append(f"- `{name}`: `{results['checkpoint']}`")
    return '\n'.join(lines) + '\n'


def write_comparison_chart(named: Dict[str, dict], path: str) -> None:
    """Draw the headline top-1 accuracies as grouped horizontal bars: a
    group per benchmark, a colour per model (a PNG).

    Args:
        named (dict[str, dict]): The suite results by model name.
        path (str): The PNG file.
    """
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    bars = {name: dict(headline_accuracies(r)) for name, r in named.items()}
    groups = []
    for values in bars.values():
        groups += [label for label in values if label not in groups]
    width = 0.8 / len(named)
    fig, ax = plt.subplots(
        figsize=(8, 1 + 0.3 * len(named) * max(len(groups), 1)))
    for i, (name, values) in enumerate(bars.items()):
        ys = [g + i * width for g, label in enumerate(groups)
              if label in values]
        xs = [values[label] for label in groups if label in values]
        ax.barh(ys, xs, height=width, color=f'C{i}', label=name)
        for y, x in zip(ys, xs):
            ax.text(min(x + 1, 90), y, f'{x:.1f}', va='center', fontsize=8)
    ax.set_yticks([g + 0.4 - width / 2 for g in range(len(groups))], groups)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel('top-1 accuracy (%)')
    ax.legend(loc='lower center', bbox_to_anchor=(0.5, 1.0), ncol=1,
              frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def compare(paths: List[str], out: str) -> Dict[str, dict]:
    """Write ``OUT.md`` and ``OUT.png`` from several suite results.

    Args:
        paths (list[str]): The ``results.json`` files, one per model.
        out (str): The output path without its extension.

    Returns:
        dict[str, dict]: The results by model name.
    """
    results = [load_result(path) for path in paths]
    named = dict(zip(model_names(results), results))
    with open(out + '.md', 'w') as f:
        f.write(comparison_table(named))
    write_comparison_chart(named, out + '.png')
    return named


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('results', nargs='+',
                        help="robustness_suite.py's results.json files, one "
                        'per model (at least two)')
    parser.add_argument('--out', default='robustness_comparison',
                        help='output path without extension: OUT.md and '
                        'OUT.png (default: %(default)s)')
    args = parser.parse_args()
    if len(args.results) < 2:
        parser.error('give at least two results.json files to compare')
    return args


def main():
    args = parse_args()
    compare(args.results, args.out)
    print(f'wrote {args.out}.md and {args.out}.png')


if __name__ == '__main__':
    main()
