# Copyright (c) mmpart contributors. All rights reserved.
"""Generate a synthetic PIN++ release and ImageNet images in the real shape:
the 1000 official classes and part counts, ImageNet-like images (see
:mod:`mmpart.toy.fullshape_pinpp` for the layout).

Convert it with::

    python tools/dataset_converters/pinpp.py OUT/release OUT/train \\
        PINPP_DIR --object-masks --instances
"""
import argparse
import os
import os.path as osp
import time

from mmpart.toy import make_fullshape_pinpp


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('out_dir', help='output folder')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--episode-classes',
        type=int,
        default=5,
        help='classes of each few-shot side with --episode-per-class '
        'annotated images (the others have one)')
    parser.add_argument('--episode-per-class', type=int, default=20)
    parser.add_argument('--unannotated-classes', type=int, default=10)
    parser.add_argument('--unannotated-per-class', type=int, default=5)
    parser.add_argument('--val-classes', type=int, default=100)
    parser.add_argument('--val-per-class', type=int, default=2)
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='replace a set made with other arguments')
    return parser.parse_args()


def disk_usage(root: str) -> int:
    """Bytes of the files under ``root``."""
    return sum(
        osp.getsize(osp.join(dirpath, name))
        for dirpath, _, names in os.walk(root) for name in names)


def main():
    args = parse_args()
    start = time.time()
    kwargs = vars(args)
    out_dir = kwargs.pop('out_dir')
    done = make_fullshape_pinpp(out_dir, **kwargs)
    counts = done['num_images']
    print(f'full-shape PIN++ in {out_dir}: {sum(counts.values())} images '
          f'({counts["annotated"]} annotated, {counts["unannotated"]} '
          f'unannotated, {counts["val"]} val), '
          f'{disk_usage(out_dir) / 2**20:.1f} MB, '
          f'{time.time() - start:.1f} s')


if __name__ == '__main__':
    main()
