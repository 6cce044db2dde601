# Copyright (c) mmpart contributors. All rights reserved.
"""Write ImageNet-C folders (<corruption>/<severity>/<wnid>/<image>) from
clean ImageNet images, e.g. the 10k val subset:

    python tools/dataset_converters/make_imagenet_c.py \
        mmpart/datasets/meta/imagenet_val_subset_10k.txt \
        data/imagenet/val data/imagenet-c -j 8
"""
import argparse

from mmpart.datasets.robustness.imagenet_c_dataset import (IMAGENET_C_CORRUPTIONS,
                                        IMAGENET_C_SEVERITIES)
from mmpart.converters.imagenet_c_writer import write_imagenet_c


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('clean_list', help='lines "<wnid>/<file> [label]"')
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
    return parser.parse_args()


def main():
    args = parse_args()
    counts = write_imagenet_c(
        args.clean_list, args.clean_root, args.out_root, args.corruptions,
        args.severities, crop=args.crop or None, seed=args.seed,
        quality=args.quality, nproc=args.nproc)
    print(f'ImageNet-C in {args.out_root}: {counts}')


if __name__ == '__main__':
    main()
