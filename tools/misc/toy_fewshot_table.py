# Copyright (c) mmpart contributors. All rights reserved.
"""The tables of ``tools/run_toy_fewshot.sh``: reads the episodic test
metrics and the part-probe scores it left in its work dir and prints two
markdown tables: plain against part-supervised pre-training, scored by
each protocol and the part probe; the official recipes after each stage.

    python tools/misc/toy_fewshot_table.py work_dirs/toy_fewshot
"""
import argparse
import json
import os.path as osp

#: Table 1 rows: name and the pre-training config's name (its folder in the
#: work dir).
ROWS = (('plain', 'resnet12-w16_1xb32-30e_toy-fewshot-base-84px'),
        ('part-supervised (MPM)',
         'mpm_resnet12-w16_1xb32-30e_toy-fewshot-base-84px'))
#: Table 1 scorings: column title and the test's file in the row's folder.
SCORINGS = (('MetaBaseline, mmpart', 'episodes'),
            ('MetaBaseline, official', 'episodes_official'),
            ('DeepEMD, official', 'episodes_deepemd'))
PROBE_KEYS = (('Linear probe mIoU', 'mIoU'),
              ('Linear probe class-aware mIoU', 'mIoU_class_aware'),
              ('Over-clustering mIoU', 'mIoU_overclustering'))
#: Table 2 rows: the official recipes, by the folder of their meta-stage
#: config, which holds the test after each stage.
RECIPES = (('part-aware MetaBaseline',
            'meta-baseline-part-aware_resnet12-w16_1xb100-4e_toy-fewshot-'
            'official-5way5shot-80px'),
           ('DeepEMD', 'deepemd_resnet12-w16_1xb25-4e_toy-fewshot-official-'
            '5way1shot-84px'))
STAGES = (('after the first stage', 'first_stage'),
          ('after the meta stage', 'meta_stage'))


def load(path: str) -> dict:
    """A JSON file's content."""
    with open(path) as f:
        return json.load(f)


def accuracies(episodes: dict) -> list:
    """The 5-way 1-shot and 5-shot cells of an episodic test.

    Args:
        episodes (dict): ``tools/test.py --out`` of the episodic test.

    Returns:
        list[str]: ``'mean ± interval'`` for 1 and 5 shots.
    """
    cells = []
    for shots in (1, 5):
        key = f'fewshot/5way_{shots}shot'
        cells.append(f'{episodes[key + "_accuracy"]:.2f} ± '
                     f'{episodes[key + "_ci95"]:.2f}')
    return cells


def markdown(header: list, rows: list) -> str:
    """A markdown table."""
    return '\n'.join(['| ' + ' | '.join(header) + ' |',
                      '|' + '---|' * len(header)] +
                     ['| ' + ' | '.join(row) + ' |' for row in rows])


def pretraining_table(work_dir: str) -> str:
    """Plain against part-supervised pre-training, by each scoring and the
    part probe."""
    header = ['Pre-training'] + [
        f'{title} {shots}' for title, _ in SCORINGS
        for shots in ('1-shot', '5-shot')
    ] + [title for title, _ in PROBE_KEYS]
    rows = []
    for name, folder in ROWS:
        row = [name]
        for _, tag in SCORINGS:
            row += accuracies(load(osp.join(work_dir, folder, tag + '.json')))
        probe = load(osp.join(work_dir, folder, 'part_probe.json'))
        row += [f'{probe[key]:.2f}' for _, key in PROBE_KEYS]
        rows.append(row)
    return markdown(header, rows)


def recipe_table(work_dir: str) -> str:
    """The official recipes, tested after each stage."""
    rows = []
    for name, folder in RECIPES:
        for stage, tag in STAGES:
            rows.append([name, stage] + accuracies(
                load(osp.join(work_dir, folder, tag + '.json'))))
    return markdown(['Method', 'Tested', '5-way 1-shot', '5-way 5-shot'],
                    rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('work_dir', help='run_toy_fewshot.sh\'s work dir')
    work_dir = parser.parse_args().work_dir
    print(pretraining_table(work_dir) + '\n\n' + recipe_table(work_dir))


if __name__ == '__main__':
    main()
