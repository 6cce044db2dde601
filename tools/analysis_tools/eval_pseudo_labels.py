# Copyright (c) mmpart contributors. All rights reserved.
"""Score pseudo part masks against the human masks of split lists.

Label the held-out annotated images into another root first::

    python tools/pseudo_label.py CONFIG CHECKPOINT --data-root data/pinpp \\
        --imagenet-train data/imagenet/train --include-annotated \\
        --ann-file held_out.txt --out-root work_dirs/pseudo_eval
    python tools/analysis_tools/eval_pseudo_labels.py work_dirs/pseudo_eval \\
        --gt-root data/pinpp --split splits/val.txt splits/test.txt

Prints (and with ``--out`` writes) the JSON of
:func:`mmpart.pseudo_label.score_pseudo_labels`: ``mIoU``, ``aAcc``,
``coverage`` (percentages), ``images`` and ``missing``.
"""
import argparse
import json

from mmpart.datasets import LabelSpace, PINPPLayout, resolve_data_file
from mmpart.datasets.lists import read_sample_keys
from mmpart.pseudo_label import score_pseudo_labels
from mmpart.utils.atomic_io import atomic_write_bytes


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('pred_root', help='root with the pseudo masks (seg/)')
    parser.add_argument(
        '--gt-root', required=True, help='processed PIN++ root (human masks)')
    parser.add_argument(
        '--split', nargs='+', required=True,
        help='"<wnid>/<stem>" lists of annotated images, relative to '
        '--gt-root unless absolute')
    parser.add_argument(
        '--num-classes', type=int,
        help='part classes with the background (default: from '
        '<gt-root>/label_space.tsv)')
    parser.add_argument('--out', help='also write the JSON here')
    return parser.parse_args()


def main():
    args = parse_args()
    num_classes = args.num_classes or LabelSpace.from_file(
        PINPPLayout(args.gt_root).label_space).num_part_classes
    images = []
    for split in args.split:
        images += read_sample_keys(resolve_data_file(split, args.gt_root))
    scores = score_pseudo_labels(args.pred_root, args.gt_root, images,
                                 num_classes)
    text = json.dumps(scores, indent=1)
    print(text)
    if args.out:
        atomic_write_bytes(args.out, text.encode())


if __name__ == '__main__':
    main()
