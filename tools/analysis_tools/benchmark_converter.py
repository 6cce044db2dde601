# Copyright (c) mmpart contributors. All rights reserved.
"""Measure the PIN++ converter's throughput at several worker counts.

Generates a toy release (ImageNet-like image size by default), converts it
from scratch once per worker count, in one run, and prints images per
second for each and the speed-up over one worker::

    python tools/analysis_tools/benchmark_converter.py --workers 1 2

With ``--instances`` each worker count is also converted with the COCO
instance files, in the same run, and the cost of writing them is printed
as a time ratio against the maps alone.
"""
import argparse
import os.path as osp
import shutil
import tempfile
import time

from mmpart.converters import PINPPConverter
from mmpart.toy import make_toy_pinpp


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--workers', type=int, nargs='+', default=[1, 2])
    parser.add_argument('--num-classes', type=int, default=20)
    parser.add_argument('--images-per-class', type=int, default=30)
    parser.add_argument('--image-size', type=int, default=384,
                        help='ImageNet train images average ~400x350')
    parser.add_argument('--object-masks', action='store_true')
    parser.add_argument(
        '--instances',
        action='store_true',
        help='also time a conversion that writes the instance files')
    parser.add_argument('--work-dir', help='keep the data here')
    return parser.parse_args()


def main():
    args = parse_args()
    work_dir = args.work_dir or tempfile.mkdtemp(prefix='bench_pinpp_')
    data = osp.join(work_dir, 'toy')
    start = time.time()
    make_toy_pinpp(data, num_classes=args.num_classes,
                   annotated_per_class=args.images_per_class,
                   unannotated_per_class=0, val_per_class=0,
                   image_size=args.image_size)
    print(f'toy release: {args.num_classes} classes x '
          f'{args.images_per_class} images, {args.image_size} px '
          f'({time.time() - start:.1f} s to generate)')

    def convert(workers: int, instances: bool) -> float:
        """Convert from scratch; return the images per second."""
        out = osp.join(work_dir, f'out_{workers}_{int(instances)}')
        shutil.rmtree(out, ignore_errors=True)
        converter = PINPPConverter(
            osp.join(data, 'release'), osp.join(data, 'train'), out,
            part_counts=osp.join(data, 'meta', 'part_counts.tsv'),
            object_masks=args.object_masks, instances=instances)
        start = time.time()
        report = converter.run(workers=workers)
        return report['images']['converted'] / (time.time() - start)

    rates = {}
    for workers in args.workers:
        rates[workers] = convert(workers, instances=False)
        if args.instances:
            with_instances = convert(workers, instances=True)
            print(f'converter_instances_vs_maps workers={workers} '
                  f'time_ratio={rates[workers] / with_instances:.2f} '
                  f'({with_instances:.1f} against {rates[workers]:.1f} '
                  'images per second)')
    for workers, rate in rates.items():
        print(f'converter workers={workers} images_per_second={rate:.1f} '
              f'speedup={rate / rates[args.workers[0]]:.2f}')
    if not args.work_dir:
        shutil.rmtree(work_dir)


if __name__ == '__main__':
    main()
