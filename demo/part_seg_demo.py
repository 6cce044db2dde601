# Copyright (c) mmpart contributors. All rights reserved.
"""Segment the parts of one image with a PIN++ part segmenter: write the
image beside its part overlay with a legend of the part names, and print the
parts found.

Example::

    python demo/part_seg_demo.py demo.JPEG CONFIG CHECKPOINT \\
        --out overlay.png --object n01440764
"""
from argparse import ArgumentParser, RawDescriptionHelpFormatter

import mmcv

from mmpart.apis import inference_part_segmentor, init_part_segmentor
from mmpart.visualization import render_part_seg_result


def parse_args():
    parser = ArgumentParser(
        description=__doc__, formatter_class=RawDescriptionHelpFormatter)
    parser.add_argument('img', help='image file')
    parser.add_argument('config', help='part segmenter config')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--out', default='overlay.png', help='the picture to write (PNG)')
    parser.add_argument('--device', default='cpu', help='e.g. cpu, cuda:0')
    parser.add_argument(
        '--object',
        help='wnid of the image\'s object: show only its parts '
        '(the class-aware map; needs a PartEncoderDecoder)')
    parser.add_argument(
        '--opacity',
        type=float,
        default=0.5,
        help='weight of the part colours in the overlay, in [0, 1]')
    parser.add_argument(
        '--scale',
        type=float,
        default=1.0,
        help='enlarge (or shrink) the picture by this factor')
    parser.add_argument(
        '--label-space',
        help='label_space.tsv, if the config\'s test data is not here')
    return parser.parse_args()


def main():
    args = parse_args()
    model = init_part_segmentor(
        args.config,
        args.checkpoint,
        device=args.device,
        label_space=args.label_space)
    result = inference_part_segmentor(
        model, args.img, object_class=args.object)
    picture = render_part_seg_result(args.img, result, args.opacity,
                                     args.scale)
    mmcv.imwrite(picture, args.out)
    shares = result.part_shares()
    print(f'{len(shares)} parts found:')
    for part_id, name, share in shares:
        print(f'{part_id:6d}  {name}  {100 * share:.1f}%')
    print(f'overlay written to {args.out}')


if __name__ == '__main__':
    main()
