# Copyright (c) mmpart contributors. All rights reserved.
"""The table of ``tools/run_toy_pipeline.sh``: reads the scores and test
metrics it left in its work dir, prints a markdown table and writes it to
``results.md``, with every number in ``results.json``.

    python tools/misc/toy_pipeline_table.py work_dirs/toy_pipeline
"""
import argparse
import json
import os.path as osp
from collections import OrderedDict

#: Rows: name, pseudo-label scores (eval_pseudo_labels.py) or MPM work dir.
PSEUDO_ROWS = (('pseudo labels (class-conditioned)', 'pseudo_eval_cond.json'),
               ('pseudo labels (unconditioned)', 'pseudo_eval_uncond.json'))
MPM_ROWS = (('MPM, human + pseudo masks', 'mpm_human_pseudo'),
            ('MPM, human masks only', 'mpm_human'))
COLUMNS = ('part mIoU', 'coverage', 'val top-1')


def load(path: str) -> dict:
    """A JSON file's content."""
    with open(path) as f:
        return json.load(f)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('work_dir', help='the pipeline\'s work dir')
    work_dir = parser.parse_args().work_dir
    rows = OrderedDict()
    for name, file_name in PSEUDO_ROWS:
        scores = load(osp.join(work_dir, file_name))
        rows[name] = dict(
            zip(COLUMNS, (scores['mIoU'], scores['coverage'], None)),
            images=scores['images'], missing=len(scores['missing']))
    for name, folder in MPM_ROWS:
        held_out = load(osp.join(work_dir, folder, 'held_out_metrics.json'))
        val = load(osp.join(work_dir, folder, 'val_metrics.json'))
        rows[name] = dict(
            zip(COLUMNS,
                (held_out['part/mIoU'], None, val['accuracy/top1'])),
            held_out_metrics=held_out, val_metrics=val)
    lines = ['| | ' + ' | '.join(COLUMNS) + ' |',
             '|---' * (len(COLUMNS) + 1) + '|']
    for name, row in rows.items():
        cells = ['' if row[c] is None else f'{row[c]:.2f}' for c in COLUMNS]
        lines.append(f'| {name} | ' + ' | '.join(cells) + ' |')
    table = '\n'.join(lines)
    print(table)
    with open(osp.join(work_dir, 'results.md'), 'w') as f:
        f.write(table + '\n')
    with open(osp.join(work_dir, 'results.json'), 'w') as f:
        json.dump(rows, f, indent=1)


if __name__ == '__main__':
    main()
