# Copyright (c) mmpart contributors. All rights reserved.
"""Score how well a frozen backbone's dense features separate parts.

Leopart-style probes (Ziegler & Asano, CVPR 2022) of any mmpretrain
classifier config, MPM included (its ``backbone`` is probed, the part
bypass is not used), on a converted PIN++ root::

    python tools/analysis_tools/part_probe.py CONFIG CHECKPOINT \\
        --data-root data/pinpp --stage 3 --out work_dirs/probe.json

- **Linear probe**: a 1x1 convolution trained on the frozen features of
  the ``--train-list`` images against their part maps, scored on the
  ``--test-list`` images: mIoU over all part classes and class-aware mIoU
  (the argmax restricted to the background and the image's own object's
  parts). As in mmseg, part classes absent from both the predictions and
  the labels of all the test images are left out of the mean.
- **Over-clustering**: k-means of the test images' L2-normalised feature
  vectors into ``--k-factor`` x (the part classes present in their maps)
  clusters, matched to the classes by the Hungarian algorithm with
  ``--k-factor`` clusters per class; mIoU of the matched maps.

Images are resized to ``--size`` squared (bilinear) and normalised by the
model's data preprocessor; part maps are resized to the same size
(nearest). Prints a table and writes a JSON of the settings and the three
mIoUs (percent).
"""
import argparse
import json
import os
import os.path as osp
import time

import mmcv
import numpy as np
import torch
from prettytable import PrettyTable

from mmpart.apis import init_model
from mmpart.datasets import (LabelSpace, PINPPLayout, resolve_data_file,
                             split_sample_key)
from mmpart.datasets.layout import MAP_IGNORE_INDEX, SPLITS_DIR
from mmpart.datasets.lists import read_sample_keys
from mmpart.datasets.transforms import LoadPartMap, resize_part_map
from mmpart.evaluation.functional import (extract_features, linear_probe_miou,
                                          overclustering_miou,
                                          train_linear_probe)
from mmpart.models.segmentors import part_range_classes
from mmpart.utils.atomic_io import atomic_write_bytes

#: Image side when the config's test pipeline names no crop size.
DEFAULT_SIZE = 96


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config', help='classifier config (mmpretrain/MPM)')
    parser.add_argument('checkpoint', help='checkpoint file or URL')
    parser.add_argument(
        '--data-root',
        help='converted PIN++ root (default: the config\'s test or train '
        'dataset data_root, if it holds label_space.tsv and splits/)')
    parser.add_argument(
        '--train-list', default='splits/train.txt',
        help='"<wnid>/<stem>" list the linear probe trains on, relative to '
        '--data-root unless absolute')
    parser.add_argument(
        '--test-list', default='splits/val.txt',
        help='"<wnid>/<stem>" list the probes are scored on')
    parser.add_argument(
        '--stage', type=int,
        help='backbone stage (an out_indices value; default: the last one '
        'the config\'s backbone outputs)')
    parser.add_argument(
        '--size', type=int,
        help='square image side (default: the CenterCrop size of the '
        f'config\'s test pipeline, else {DEFAULT_SIZE})')
    parser.add_argument(
        '--epochs', type=int, default=10, help='linear probe epochs')
    parser.add_argument(
        '--lr', type=float, default=1e-2, help='linear probe AdamW lr')
    parser.add_argument(
        '--batch-size', type=int, default=16,
        help='images per forward pass and per probe step')
    parser.add_argument(
        '--k-factor', type=int, default=3,
        help='clusters per part class for the over-clustering')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument(
        '--out', help='JSON file (default: <work_dir or cwd>/part_probe.json)')
    return parser.parse_args()


def is_processed_root(root) -> bool:
    """Whether a folder looks like a converted PIN++ root."""
    layout = PINPPLayout(root or '')
    return bool(root) and osp.isfile(layout.label_space) and osp.isdir(
        osp.join(root, SPLITS_DIR))


def default_data_root(cfg) -> str:
    """The config's test (else train) dataset root, if it is a converted
    PIN++ root."""
    for loader in ('test_dataloader', 'train_dataloader'):
        root = cfg.get(loader, {}).get('dataset', {}).get('data_root')
        if is_processed_root(root):
            return root
    raise ValueError('the config\'s datasets do not point at a converted '
                     'PIN++ root (label_space.tsv, splits/): pass --data-root')


def default_size(cfg) -> int:
    """The crop size of the config's test pipeline, else
    :data:`DEFAULT_SIZE`."""
    pipeline = cfg.get('test_dataloader', {}).get('dataset', {}).get(
        'pipeline', [])
    for transform in pipeline:
        if transform.get('type') == 'CenterCrop':
            crop = transform['crop_size']
            if isinstance(crop, int) or len(set(crop)) == 1:
                return crop if isinstance(crop, int) else crop[0]
    return DEFAULT_SIZE


def load_split(data_root: str, split: str, size: int):
    """The images and part maps of a split list, resized to ``size``.

    Returns:
        tuple: The keys, the BGR uint8 images and the ``(N, size, size)``
        int64 part maps.
    """
    layout = PINPPLayout(data_root)
    keys = read_sample_keys(resolve_data_file(split, data_root))
    load_map = LoadPartMap()
    images, maps = [], []
    for key in keys:
        wnid, stem = split_sample_key(key)
        img = mmcv.imread(layout.image(wnid, stem))
        if img is None:
            raise FileNotFoundError(layout.image(wnid, stem))
        seg_map = layout.seg_map(wnid, stem)
        if not osp.isfile(seg_map):
            raise FileNotFoundError(f'{key} has no part map ({seg_map})')
        part_map = load_map(dict(img=img, seg_map_path=seg_map))['gt_seg_map']
        images.append(mmcv.imresize(img, (size, size)))
        maps.append(resize_part_map(part_map, size, size))
    return keys, images, torch.from_numpy(np.stack(maps).astype(np.int64))


def main():
    args = parse_args()
    started = time.time()
    model = init_model(args.config, args.checkpoint, device=args.device)
    cfg = model.cfg
    data_root = args.data_root or default_data_root(cfg)
    label_space = LabelSpace.from_file(PINPPLayout(data_root).label_space)
    num_classes = label_space.num_part_classes
    stage = args.stage
    if stage is None:
        stage = max(model.backbone.out_indices)
    size = args.size or default_size(cfg)

    train_keys, train_images, train_maps = load_split(
        data_root, args.train_list, size)
    test_keys, test_images, test_maps = load_split(data_root,
                                                   args.test_list, size)
    train_feats = extract_features(model, train_images, stage,
                                   args.batch_size)
    test_feats = extract_features(model, test_images, stage, args.batch_size)

    probe = train_linear_probe(
        train_feats.to(args.device), train_maps.to(args.device), num_classes,
        epochs=args.epochs, lr=args.lr, batch_size=args.batch_size,
        ignore_index=MAP_IGNORE_INDEX, seed=args.seed)
    allowed = [
        part_range_classes(
            label_space.part_id_range(split_sample_key(key)[0]))
        for key in test_keys
    ]
    results = linear_probe_miou(probe, test_feats.to(args.device),
                                test_maps.to(args.device), allowed,
                                num_classes, MAP_IGNORE_INDEX)
    results['mIoU_overclustering'] = overclustering_miou(
        test_feats, test_maps, args.k_factor, MAP_IGNORE_INDEX, args.seed)

    table = PrettyTable(['Probe', 'Metric', 'Value'])
    table.add_row(['linear', 'mIoU', f'{results["mIoU"]:.2f}'])
    table.add_row(['linear', 'mIoU (class-aware)',
                   f'{results["mIoU_class_aware"]:.2f}'])
    table.add_row([f'over-clustering (k = {args.k_factor} x classes)',
                   'mIoU (matched)', f'{results["mIoU_overclustering"]:.2f}'])
    print(table.get_string())

    report = dict(
        config=args.config,
        checkpoint=args.checkpoint,
        data_root=data_root,
        train_list=args.train_list,
        test_list=args.test_list,
        stage=stage,
        image_size=size,
        feature_size=list(test_feats.shape[1:]),
        num_train_images=len(train_keys),
        num_test_images=len(test_keys),
        num_part_classes=num_classes,
        epochs=args.epochs,
        k_factor=args.k_factor,
        seed=args.seed,
        seconds=round(time.time() - started, 1),
        **results)
    out = args.out or osp.join(cfg.get('work_dir') or os.getcwd(),
                               'part_probe.json')
    atomic_write_bytes(out, json.dumps(report, indent=1).encode())
    print(f'wrote {out}')


if __name__ == '__main__':
    main()
