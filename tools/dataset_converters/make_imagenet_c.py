# Copyright (c) mmpart contributors. All rights reserved.
"""Write ImageNet-C folders (<corruption>/<severity>/<wnid>/<image>) from
clean ImageNet images, e.g. the bundled 10k val subset:

    python tools/dataset_converters/make_imagenet_c.py \
        mmpart::imagenet_val_subset_10k.txt data/imagenet/val \
        data/imagenet-c -j 8
"""
import argparse

from mmpart.converters import write_imagenet_c
from mmpart.datasets import IMAGENET_C_CORRUPTIONS, IMAGENET_C_SEVERITIES


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        'clean_list',
        help='lines "<wnid>/<file> [label]", or mmpart::<bundled file>')
    parser.add_argument('clean_root', help='folder of the clean images')
    parser.add_argument('out_root', help='ImageNet-C root to write')
    parser.add_argument('--corruptions', nargs='+',
                        default=list(IMAGENET_C_CORRUPTIONS))
    parser.add_argument('--severities', nargs='+', type=int,
                        default=list(IMAGENET_C_SEVERITIES))
    parser.add_argument('--crop', type=int, default=224,
                        help='centre-crop side (0: keep the whole image)')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--quality', type=int, default=85, help='JPEG quality')
    parser.add_argument('-j', '--nproc', type=int, default=1)
    return parser


def main():
    parser = build_parser()
    args = parser.parse_args()
    try:
        counts = write_imagenet_c(
            args.clean_list, args.clean_root, args.out_root,
            args.corruptions, args.severities, crop=args.crop or None,
            seed=args.seed, quality=args.quality, nproc=args.nproc)
    except FileNotFoundError as e:
        parser.error(str(e))
    print(f'ImageNet-C in {args.out_root}: {counts}')


if __name__ == '__main__':
    main()
