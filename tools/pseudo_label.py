# Copyright (c) mmpart contributors. All rights reserved.
"""Pseudo-label the ImageNet train images without human part masks.

    python tools/pseudo_label.py CONFIG CHECKPOINT --data-root data/pinpp \\
        --imagenet-train data/imagenet/train [--min-score 0.5] [--flip]

Writes ``seg/<wnid>/<stem>.png`` (and ``obj/`` with ``--object-maps``),
merges ``<file> 1`` lines into ``whether_pseudo/<wnid>.txt`` and writes
``pseudo_label_report.json`` under ``--out-root`` (default: the data
root). Several processes: ``SCRIPT=tools/pseudo_label.py bash
tools/dist_test.sh CONFIG CHECKPOINT N --data-root ...`` (or
``tools/slurm_test.sh``). A rerun resumes.
"""
import argparse
import json
import os

import torch

import mmpart  # noqa: F401  (registers mmpart's modules)
from mmpart.apis import init_part_segmentor
from mmpart.datasets import PINPPLayout
from mmpart.pseudo_label import (PseudoLabelJob, PseudoLabeller,
                                 PseudoLabelSettings)
from mmpart.structures import MAP_IGNORE_INDEX
from mmpart.utils import init_distributed, teardown_distributed


def parse_args():
    parser = argparse.ArgumentParser(
        description='Pseudo part masks for ImageNet train images')
    parser.add_argument('config', help='part segmenter config')
    parser.add_argument('checkpoint', help='part segmenter checkpoint')
    parser.add_argument(
        '--data-root', required=True,
        help='processed PIN++ root (label_space.tsv, whether_pseudo/)')
    parser.add_argument(
        '--imagenet-train',
        help='ImageNet train folder (<wnid>/<file>); default: '
        '<data-root>/img')
    parser.add_argument(
        '--out-root',
        help='where masks, lists and the report go (default: --data-root)')
    parser.add_argument(
        '--ann-file',
        help='label only the images of this "<wnid>/<file>" list')
    parser.add_argument(
        '--min-score', type=float, default=0.5,
        help=f'pixels whose confidence is lower get {MAP_IGNORE_INDEX} '
        '(ignored)')
    parser.add_argument(
        '--flip', action='store_true',
        help='average with the horizontally flipped image')
    parser.add_argument(
        '--scale', type=int, nargs=2, metavar=('W', 'H'),
        help='inference scale (Resize, kept ratio); default: the test '
        'pipeline\'s')
    parser.add_argument(
        '--no-class-condition', action='store_true',
        help='predict over every part class (for comparison), not only '
        'the image\'s own class\'s parts')
    parser.add_argument(
        '--object-maps', action='store_true', help='also write obj/ masks')
    parser.add_argument(
        '--include-annotated', action='store_true',
        help='also label images with human masks (to score pseudo labels; '
        'needs another --out-root)')
    parser.add_argument('--batch-size', type=int, default=8)
    parser.add_argument(
        '--num-workers', type=int, default=2,
        help='image-loading workers per process')
    parser.add_argument(
        '--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def main():
    args = parse_args()
    init_distributed(args.launcher)
    settings = PseudoLabelSettings(
        config=args.config,
        checkpoint=args.checkpoint,
        data_root=args.data_root,
        imagenet_train=args.imagenet_train
        or PINPPLayout(args.data_root).image_dir,
        out_root=args.out_root,
        ann_file=args.ann_file,
        min_score=args.min_score,
        flip=args.flip,
        scale=args.scale,
        class_conditioned=not args.no_class_condition,
        object_maps=args.object_maps,
        include_annotated=args.include_annotated,
        batch_size=args.batch_size,
        num_workers=args.num_workers)
    model = init_part_segmentor(
        args.config,
        args.checkpoint,
        device=args.device,
        label_space=PINPPLayout(args.data_root).label_space)
    labeller = PseudoLabeller(model, model.label_space, settings.min_score,
                              settings.class_conditioned)
    report = PseudoLabelJob(settings, labeller, model.cfg).run()
    if report is not None:
        print(json.dumps(dict(totals=report['totals'], run=report['run'])))
        print(f'report: {PINPPLayout(settings.out_root).pseudo_label_report}')
    teardown_distributed()


if __name__ == '__main__':
    main()
