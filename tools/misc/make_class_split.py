# Copyright (c) mmpart contributors. All rights reserved.
"""Split the wnids of a part-count table at random into the base, val and
novel classes of few-shot PIN++ (see :mod:`mmpart.datasets.class_split`).

The bundled ``mmpart::pinpp_class_split_900-50-50_seed0.json`` is what
``--sizes 900 50 50 --seed 0`` writes from the official table.
"""
import argparse

from mmpart.datasets.class_split import (CLASS_SPLIT_SIDES, make_class_split,
                                         write_class_split)
from mmpart.datasets.label_space import load_part_counts


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('out', help='the JSON file to write')
    parser.add_argument(
        '--part-counts',
        help='part-count table whose wnids are split (default: the '
        'official one of the 1000 ImageNet classes)')
    parser.add_argument(
        '--sizes',
        type=int,
        nargs=3,
        default=[900, 50, 50],
        metavar=('BASE', 'VAL', 'NOVEL'),
        help='number of classes on each side (sum: the number of wnids)')
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    wnids = list(load_part_counts(args.part_counts))
    split = make_class_split(wnids, sizes=args.sizes, seed=args.seed)
    write_class_split(args.out, split)
    sizes = ', '.join(f'{side} {split["sizes"][side]}'
                      for side in CLASS_SPLIT_SIDES)
    print(f'{args.out}: {sizes} classes (seed {args.seed})')


if __name__ == '__main__':
    main()
