# Copyright (c) mmpart contributors. All rights reserved.
"""Write PNGs of converted PIN++ images with their part overlays and a
legend of part names, to check a conversion by eye.

Example::

    python tools/analysis_tools/browse_pinpp.py data/pinpp --split val \\
        --num 20 --out work_dirs/browse
"""
import argparse
import os
import os.path as osp

import cv2
import numpy as np

from mmpart.datasets import (IMG_DIR, SPLIT_NAMES, LabelSpace, PINPPLayout,
                             split_sample_key)
from mmpart.datasets.lists import read_sample_keys
from mmpart.visualization import random_palette, render_part_legend_panel


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('data_root', help='converted PIN++ root')
    parser.add_argument('--split', default='val',
                        help=f'list in splits/ ({", ".join(SPLIT_NAMES)})')
    parser.add_argument('--num', type=int, default=20,
                        help='how many images (evenly spaced in the list)')
    parser.add_argument('--out', required=True, help='output folder')
    parser.add_argument('--img-dir', default=IMG_DIR,
                        help='image folder under data_root')
    parser.add_argument('--scale', type=float, default=1.0,
                        help='resize images by this factor first')
    return parser.parse_args()


def main():
    args = parse_args()
    layout = PINPPLayout(args.data_root, img_dir=args.img_dir)
    names = LabelSpace.from_file(layout.label_space).part_names
    palette = random_palette(len(names))
    keys = read_sample_keys(layout.split_list(args.split))
    picks = np.linspace(0, len(keys) - 1, min(args.num, len(keys)))
    os.makedirs(args.out, exist_ok=True)
    for index in sorted(set(int(round(p)) for p in picks)):
        key = keys[index]
        wnid, stem = split_sample_key(key)
        img = cv2.imread(layout.image(wnid, stem), cv2.IMREAD_COLOR)
        part_map = cv2.imread(layout.seg_map(wnid, stem),
                              cv2.IMREAD_UNCHANGED)
        if img is None or part_map is None:
            print(f'skipped {key}: image or map unreadable')
            continue
        if args.scale != 1.0:
            size = (round(img.shape[1] * args.scale),
                    round(img.shape[0] * args.scale))
            img = cv2.resize(img, size, interpolation=cv2.INTER_AREA)
            part_map = cv2.resize(part_map, size,
                                  interpolation=cv2.INTER_NEAREST)
        panel, _ = render_part_legend_panel(img, part_map, names, palette,
                                            title=key)
        out_path = osp.join(args.out, key.replace('/', '__') + '.png')
        cv2.imwrite(out_path, panel)
        print(out_path)


if __name__ == '__main__':
    main()
