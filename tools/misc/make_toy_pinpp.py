# Copyright (c) mmpart contributors. All rights reserved.
"""Generate a toy PIN++ release with ImageNet-style images (see
:mod:`mmpart.toy.pinpp` for the layout)."""
import argparse
import time

from mmpart.toy import make_toy_pinpp


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('out_dir', help='output folder')
    parser.add_argument('--num-classes', type=int, default=10)
    parser.add_argument('--min-parts', type=int, default=2)
    parser.add_argument('--max-parts', type=int, default=5)
    parser.add_argument('--image-size', type=int, default=96)
    parser.add_argument('--annotated-per-class', type=int, default=20)
    parser.add_argument('--unannotated-per-class', type=int, default=30)
    parser.add_argument('--val-per-class', type=int, default=10)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--quirks',
        action='store_true',
        help='add a grayscale, a CMYK and a PNG-encoded .JPEG image and '
        'discarded images, as in the real release')
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='replace a toy set made with other arguments')
    return parser.parse_args()


def main():
    args = parse_args()
    start = time.time()
    kwargs = vars(args)
    out_dir = kwargs.pop('out_dir')
    done = make_toy_pinpp(out_dir, **kwargs)
    print(f'toy PIN++ with {len(done["classes"])} classes in {out_dir} '
          f'({time.time() - start:.1f} s)')


if __name__ == '__main__':
    main()
