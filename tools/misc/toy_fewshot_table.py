# Copyright (c) mmpart contributors. All rights reserved.
"""The table of ``tools/run_toy_fewshot.sh``: reads the episodic test
metrics and the part-probe scores it left in its work dir and prints a
markdown table (plain against part-supervised pre-training).

    python tools/misc/toy_fewshot_table.py work_dirs/toy_fewshot
"""
import argparse
import json
import os.path as osp

#: Rows: name and the pre-training config's name (its folder in the work
#: dir).
ROWS = (('plain pre-training', 'resnet12-w16_1xb32-30e_toy-fewshot-base-84px'),
        ('part-supervised (MPM) pre-training',
         'mpm_resnet12-w16_1xb32-30e_toy-fewshot-base-84px'))
HEADER = ('Pre-training', '5-way 1-shot', '5-way 5-shot',
          'Linear probe mIoU', 'Linear probe class-aware mIoU',
          'Over-clustering mIoU')


def load(path: str) -> dict:
    """A JSON file's content."""
    with open(path) as f:
        return json.load(f)


def table_row(name: str, episodes: dict, probe: dict) -> str:
    """One markdown row.

    Args:
        name (str): The row's name.
        episodes (dict): ``tools/test.py --out`` of the episodic test.
        probe (dict): ``part_probe.py --out``.

    Returns:
        str: The row.
    """
    cells = [name]
    for shots in (1, 5):
        key = f'fewshot/5way_{shots}shot'
        cells.append(f'{episodes[key + "_accuracy"]:.2f} ± '
                     f'{episodes[key + "_ci95"]:.2f}')
    for key in ('mIoU', 'mIoU_class_aware', 'mIoU_overclustering'):
        cells.append(f'{probe[key]:.2f}')
    return '| ' + ' | '.join(cells) + ' |'


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('work_dir', help='run_toy_fewshot.sh\'s work dir')
    work_dir = parser.parse_args().work_dir
    lines = ['| ' + ' | '.join(HEADER) + ' |',
             '|' + '---|' * len(HEADER)]
    for name, folder in ROWS:
        lines.append(
            table_row(
                name, load(osp.join(work_dir, folder, 'episodes.json')),
                load(osp.join(work_dir, folder, 'part_probe.json'))))
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
