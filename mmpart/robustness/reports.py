# Copyright (c) mmpart contributors. All rights reserved.
"""The reports of a robustness suite run: JSON, a markdown table and a bar
chart of the headline accuracies."""
import json
import os
import os.path as osp
from typing import List, Tuple


def write_json_report(results: dict, path: str) -> None:
    """Write every result (all metrics, skipped benchmarks, run facts).

    Args:
        results (dict): See :func:`write_reports`.
        path (str): The JSON file.
    """
    with open(path, 'w') as f:
        json.dump(results, f, indent=1)


def write_markdown_report(results: dict, path: str) -> None:
    """Write a table of the headline metrics, skipped benchmarks included.

    Args:
        results (dict): See :func:`write_reports`.
        path (str): The markdown file.
    """
    lines = [
        f"# Robustness of `{osp.basename(results['checkpoint'])}`", '',
        f"Config `{results['config']}`, data root "
        f"`{results['data_root']}`.", '', '| benchmark | metric | value |',
        '|---|---|---|'
    ]
    for name, bench in results['benchmarks'].items():
        for key in bench['headline']:
            value = bench['metrics'].get(key)
            text = 'n/a' if value is None else f'{value:.2f}'
            lines.append(f'| {name} | {key} | {text} |')
    for name, reason in results['skipped'].items():
        lines.append(f'| {name} | skipped | {reason} |')
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')


def headline_accuracies(results: dict) -> List[Tuple[str, float]]:
    """The ``(label, value)`` bars of the chart: the headline keys that are
    top-1 accuracies (in percent), in benchmark order."""
    bars = []
    for name, bench in results['benchmarks'].items():
        for key in bench['headline']:
            value = bench['metrics'].get(key)
            if value is not None and key.endswith('top1'):
                bars.append((f'{name} {key}', value))
    return bars


def write_chart(results: dict, path: str) -> None:
    """Draw the headline accuracies as horizontal bars (a PNG), and name
    the skipped benchmarks under the axis.

    Args:
        results (dict): See :func:`write_reports`.
        path (str): The PNG file.
    """
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    bars = headline_accuracies(results)
    fig, ax = plt.subplots(figsize=(7, 0.5 + 0.45 * max(len(bars), 1)))
    values = [value for _, value in bars]
    ax.barh(range(len(bars)), values, color='tab:blue')
    ax.set_yticks(range(len(bars)), [label for label, _ in bars])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    skipped = ', '.join(results['skipped'])
    ax.set_xlabel('top-1 accuracy (%)' +
                  (f'\nskipped: {skipped}' if skipped else ''))
    for i, value in enumerate(values):
        ax.text(min(value + 1, 88), i, f'{value:.1f}', va='center')
    ax.set_title(osp.basename(results['checkpoint']))
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_reports(results: dict, out_dir: str) -> None:
    """Write ``results.json``, ``results.md`` and ``results.png``.

    Args:
        results (dict): ``benchmarks`` ({name: {metrics, headline,
            source}}), ``skipped`` ({name: reason}), and ``config``,
            ``checkpoint`` and ``data_root``.
        out_dir (str): The output folder.
    """
    os.makedirs(out_dir, exist_ok=True)
    write_json_report(results, osp.join(out_dir, 'results.json'))
    write_markdown_report(results, osp.join(out_dir, 'results.md'))
    write_chart(results, osp.join(out_dir, 'results.png'))
