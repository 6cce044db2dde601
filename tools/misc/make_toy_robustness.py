# Copyright (c) mmpart contributors. All rights reserved.
"""Make a toy robustness data root from a toy PIN++ set (see
:mod:`mmpart.toy.robustness` for what each folder holds)."""
import argparse
import time

from mmpart.toy import make_toy_robustness_root


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('toy_dir', help='toy PIN++ set (make_toy_pinpp.py)')
    parser.add_argument('out_dir', help='robustness root to write')
    parser.add_argument('--per-class', type=int, default=2,
                        help='val images per class in each shifted set')
    parser.add_argument('--skip', nargs='*', default=[],
                        help='top-level folders not to write')
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args()


def main():
    args = parse_args()
    start = time.time()
    counts = make_toy_robustness_root(args.toy_dir, args.out_dir,
                                      per_class=args.per_class,
                                      seed=args.seed, skip=args.skip)
    print(f'toy robustness root {args.out_dir} ({time.time() - start:.1f} '
          f's): {counts}')


if __name__ == '__main__':
    main()
