# Copyright (c) mmpart contributors. All rights reserved.
"""Convert the PIN++ release into mmpart's processed layout.

Example::

    python tools/dataset_converters/pinpp.py data/pinpp_release \\
        data/imagenet/train data/pinpp --object-masks --instances \\
        --link-images -j 8

Writes 16-bit part masks (and object masks), the label-space file, per-class
train/val/test lists (with ``--instances``, their instance files for mmdet:
COCO ``annotations/instances_<split>.json`` by default, the official
benchmark's LVIS format ``annotations/Pin++_<split>.json`` with
``--instances-format lvis``, or both), ``whether_pseudo/`` lists and a report
of what was converted or skipped and why (printed and saved as
``conversion_report.json``). A rerun skips images whose masks exist, so an
interrupted conversion is resumed by running the same command again. While
it reads the class files and while it converts the images, a progress bar
shows the rate (tasks/s, a task an image) and the ETA.
"""
import argparse
import json
import sys

from mmpart.converters import (DEFAULT_SPLIT_RATIOS, INSTANCE_FORMATS,
                               PINPPConverter, PINPPFormatError)
from mmpart.datasets import PINPPLayout


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('release_dir',
                        help='PIN++ release: json/, including/, ...')
    parser.add_argument('imagenet_train_dir',
                        help='ImageNet-1K train folder: <wnid>/*.JPEG')
    parser.add_argument('out_dir', help='output folder')
    parser.add_argument(
        '--part-counts',
        help='part-count table (wnid<TAB>num_parts); the official '
        '1000-class table by default')
    parser.add_argument(
        '--strict',
        action='store_true',
        help='fail on the problems the report would list instead: '
        'part-count mismatches, unknown parts in including/, annotations '
        'of unlisted images or of unknown categories')
    parser.add_argument(
        '--object-masks', action='store_true', help='also write obj/ masks')
    parser.add_argument(
        '--instances',
        action='store_true',
        help='also write instance files of the splits for mmdet')
    parser.add_argument(
        '--instances-format',
        nargs='+',
        choices=INSTANCE_FORMATS,
        default=INSTANCE_FORMATS[:1],
        help='formats of the instance files: coco '
        '(annotations/instances_<split>.json, the default), lvis '
        '(annotations/Pin++_<split>.json, the official benchmark\'s format) '
        'or both')
    parser.add_argument(
        '--link-images',
        action='store_true',
        help='make OUT_DIR/img a link to the ImageNet train folder')
    parser.add_argument(
        '--split-ratios',
        type=float,
        nargs=3,
        default=DEFAULT_SPLIT_RATIOS,
        metavar=('TRAIN', 'VAL', 'TEST'),
        help='fractions of each class (default: %(default)s)')
    parser.add_argument('--seed', type=int, default=0, help='split seed')
    parser.add_argument(
        '-j', '--workers', type=int, default=1, help='worker processes')
    return parser


def main():
    parser = build_parser()
    args = parser.parse_args()
    try:
        converter = PINPPConverter(
            args.release_dir,
            args.imagenet_train_dir,
            args.out_dir,
            part_counts=args.part_counts,
            strict=args.strict,
            object_masks=args.object_masks,
            link_images=args.link_images,
            instances=args.instances,
            instance_formats=args.instances_format,
            split_ratios=args.split_ratios,
            seed=args.seed)
    except (FileNotFoundError, ValueError) as e:
        parser.error(str(e))
    try:
        report = converter.run(workers=args.workers)
    except PINPPFormatError as e:
        print()  # ends the progress bar's line
        sys.exit(f'error: {e}')
    print(json.dumps(report, indent=1))
    print(f'report saved to {PINPPLayout(args.out_dir).report}')


if __name__ == '__main__':
    main()
