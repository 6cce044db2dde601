# Copyright (c) mmpart contributors. All rights reserved.
"""Write a class split of converted PIN++ in the files of the paper's
official few-shot code: the MetaBaseline pickles
(``pinpp_category_split_*.pickle``) and the DeepEMD ``split/*.csv`` with
their ``images/`` links (:mod:`mmpart.converters.official_fewshot`).

The ``*_pinpp-fewshot-official-*`` configs read them from
``data/pinpp_fewshot_official/{metabaseline,deepemd}``; with the paper's own
files, put those there instead.
"""
import argparse
import os.path as osp

from mmpart.converters.official_fewshot import (write_deepemd_split,
                                                write_metabaseline_pickles)
from mmpart.datasets.lists import resolve_bundled


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('processed', help="the PIN++ converter's output")
    parser.add_argument('out', help='holds metabaseline/ and deepemd/')
    parser.add_argument(
        '--class-split',
        default='mmpart::pinpp_class_split_900-50-50_seed0.json',
        help='the class split (default: the bundled 900 / 50 / 50 one)')
    parser.add_argument(
        '--size',
        type=int,
        default=84,
        help='side of the images stored in the pickles (default: 84)')
    parser.add_argument(
        '--phase-val-every',
        type=int,
        default=10,
        help='every N-th image of a base class goes to train_phase_val')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    class_split = resolve_bundled(args.class_split)
    pickles = write_metabaseline_pickles(
        args.processed,
        class_split,
        osp.join(args.out, 'metabaseline'),
        size=args.size,
        phase_val_every=args.phase_val_every)
    csvs = write_deepemd_split(args.processed, class_split,
                               osp.join(args.out, 'deepemd'))
    for kind, counts in (('metabaseline', pickles), ('deepemd', csvs)):
        listed = ', '.join(f'{name} {n}' for name, n in counts.items())
        print(f'{osp.join(args.out, kind)}: {listed} images')


if __name__ == '__main__':
    main()
