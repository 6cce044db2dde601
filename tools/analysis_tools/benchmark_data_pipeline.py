# Copyright (c) mmpart contributors. All rights reserved.
"""What the part map costs the data loaders: MPM's training pipeline
against mmpretrain's plain ImageNet one, on the same images, in one run.

    python tools/analysis_tools/benchmark_data_pipeline.py \\
        [--data-root data/pinpp] [--images 64] [--rounds 7]

Both pipelines are the recipes' own, ``train_dataloader.dataset.pipeline``
of :data:`MPM_CONFIG` (image + 16-bit part map: ``LoadPartMap``, joint
``PartRandomResizedCrop`` and flip, ``PackPartInputs``) and of
:data:`PLAIN_CONFIG` (image only), built from the config files. The images
are a converted PIN++ root's (``img/<wnid>/*.JPEG`` with a
``seg/<wnid>/*.png``) or, without ``--data-root``, generated ImageNet-like
ones: JPEG quality 90, most 500 px on the long side, aspect ratios up to
2:1 either way, every eighth one grayscale, each with its 16-bit PNG map
of a few part ids up to 3310 as the converter writes it.

One process, one thread, as one data-loader worker: each round passes
every image through both pipelines, one after the other in alternating
order, with the same random state (the same crops, flips and jitters),
after one untimed pass that warms the file cache. Printed: each
pipeline's samples per second (median over the rounds) and the line::

    mpm_pipeline_vs_plain time_ratio=1.14

with the median over the rounds of the ratio of the times per sample (MPM
/ plain): on a noisy machine it varies less than either time.
"""
import argparse
import contextlib
import glob
import os
import os.path as osp
import statistics
import tempfile
import time
from typing import Callable, Dict, List

import cv2
import numpy as np
import torch
from mmcv.transforms import Compose
from mmengine.config import Config
from PIL import Image

from mmpart.converters import encode_png
from mmpart.datasets.layout import IMG_DIR, IMG_SUFFIX, MAP_SUFFIX, SEG_DIR
from mmpart.registry import TRANSFORMS
from mmpart.utils import register_all_modules

PROJECT_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
#: The MPM recipe's dataset base (image + part map).
MPM_CONFIG = osp.join(PROJECT_ROOT, 'configs', '_base_', 'datasets',
                      'imagenet-pinpp_bs64_mpm_224.py')
#: The plain ImageNet recipe's dataset base (image only).
PLAIN_CONFIG = osp.join(PROJECT_ROOT, 'configs', '_base_', 'datasets',
                        'imagenet_bs64_mpm_224.py')
#: The largest PIN++ part id.
MAX_PART_ID = 3310


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='MPM data pipeline against the plain ImageNet one')
    parser.add_argument(
        '--data-root',
        help='a converted PIN++ root (img/, seg/); default: generate images')
    parser.add_argument(
        '--images', type=int, default=64, help='images per round')
    parser.add_argument('--rounds', type=int, default=7)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)
    if args.images < 1 or args.rounds < 1:
        parser.error('--images and --rounds must be positive')
    return args


def _part_map(rng: np.random.Generator, height: int, width: int) -> np.ndarray:
    """One object's few parts (ellipses, consecutive ids) on background."""
    part_map = np.zeros((height, width), np.uint16)
    ys, xs = np.mgrid[0:height, 0:width]
    num_parts = int(rng.integers(2, 7))
    first = int(rng.integers(1, MAX_PART_ID - num_parts + 2))
    for part_id in range(first, first + num_parts):
        cy, cx = rng.uniform(0.2, 0.8, 2) * (height, width)
        ry, rx = rng.uniform(0.08, 0.3, 2) * (height, width)
        part_map[((ys - cy) / ry)**2 + ((xs - cx) / rx)**2 <= 1] = part_id
    return part_map


def _image(rng: np.random.Generator, part_map: np.ndarray) -> np.ndarray:
    """An RGB image of ImageNet-like detail (smooth colour blobs plus fine
    texture: about 100 KB as a 500x375 JPEG of quality 90, where ImageNet
    train's mean file is 110 KB), the parts brighter than the background."""
    height, width = part_map.shape
    coarse = rng.uniform(0, 120, (height // 16 + 1, width // 16 + 1, 3))
    img = cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC)
    img += rng.normal(0, 20, img.shape)
    img[part_map > 0] += 120
    return np.clip(img, 0, 255).astype(np.uint8)


def make_images(out_dir: str, num_images: int, seed: int = 0) -> None:
    """Write ImageNet-like JPEGs and their 16-bit part maps in the
    converter's layout (``img/<wnid>/<stem>.JPEG``,
    ``seg/<wnid>/<stem>.png``).

    Args:
        out_dir (str): The root to write.
        num_images (int): How many images.
        seed (int): Random seed. Defaults to 0.
    """
    rng = np.random.default_rng(seed)
    for index in range(num_images):
        wnid, stem = f'n{index % 4:08d}', f'n{index % 4:08d}_{index}'
        long_side = 500 if rng.random() < 0.7 else int(rng.integers(250, 501))
        short_side = max(int(long_side * rng.uniform(0.5, 1.0)), 200)
        height, width = ((long_side, short_side) if rng.random() < 0.3 else
                         (short_side, long_side))
        part_map = _part_map(rng, height, width)
        image = Image.fromarray(_image(rng, part_map))
        if index % 8 == 7:
            image = image.convert('L')
        img_path = osp.join(out_dir, IMG_DIR, wnid, stem + IMG_SUFFIX)
        seg_path = osp.join(out_dir, SEG_DIR, wnid, stem + MAP_SUFFIX)
        for path in (img_path, seg_path):
            os.makedirs(osp.dirname(path), exist_ok=True)
        image.save(img_path, 'JPEG', quality=90)
        with open(seg_path, 'wb') as f:
            f.write(encode_png(part_map))


def list_samples(data_root: str, limit: int) -> List[dict]:
    """The data infos of the first images of a root that have a part map.

    Args:
        data_root (str): A converted PIN++ root.
        limit (int): At most this many.

    Returns:
        list[dict]: ``img_path``, ``seg_map_path``, ``gt_label`` (the
        class's index) and ``part_map_is_pseudo`` (False) of each, as
        ``PINPPClsDataset`` gives them.
    """
    infos = []
    wnids = sorted(
        osp.basename(d) for d in glob.glob(osp.join(data_root, IMG_DIR, '*')))
    for label, wnid in enumerate(wnids):
        for img_path in sorted(
                glob.glob(
                    osp.join(data_root, IMG_DIR, wnid, '*' + IMG_SUFFIX))):
            stem = osp.splitext(osp.basename(img_path))[0]
            seg_path = osp.join(data_root, SEG_DIR, wnid, stem + MAP_SUFFIX)
            if osp.exists(seg_path):
                infos.append(
                    dict(
                        img_path=img_path,
                        seg_map_path=seg_path,
                        gt_label=label,
                        part_map_is_pseudo=False))
                if len(infos) == limit:
                    return infos
    if not infos:
        raise FileNotFoundError(f'{data_root}: no {IMG_DIR}/<wnid>/*'
                                f'{IMG_SUFFIX} with a {SEG_DIR}/ map')
    return infos


def build_train_pipeline(config_path: str) -> Compose:
    """The training pipeline of a dataset config, as its recipe builds it.

    Args:
        config_path (str): The config file.

    Returns:
        Compose: ``train_dataloader.dataset.pipeline``, built in mmpart's
        registry (mmpretrain's names resolve through it).
    """
    register_all_modules()
    cfg = Config.fromfile(config_path)
    return Compose(
        [TRANSFORMS.build(t) for t in cfg.train_dataloader.dataset.pipeline])


def time_pipelines(pipelines: Dict[str, Callable],
                   infos: List[dict],
                   rounds: int,
                   seed: int = 0) -> Dict[str, List[float]]:
    """Seconds per sample of each pipeline, round by round.

    Each round passes every sample through all pipelines in turn, the
    order reversed from one sample to the next, so that the pipelines share
    the machine's load, and each from the same random state, so that they
    see the same crops, flips and jitters. An untimed first pass warms the
    file cache.

    Args:
        pipelines (dict[str, Callable]): Name: pipeline.
        infos (list[dict]): The data infos (copied for each call).
        rounds (int): Timed rounds.
        seed (int): Seed of the first sample's random state. Defaults to 0.

    Returns:
        dict[str, list[float]]: Name: seconds per sample in each round.
    """
    names = list(pipelines)
    for pipeline in pipelines.values():
        for info in infos:
            pipeline(dict(info))
    times = {name: [] for name in names}
    for index in range(rounds):
        elapsed = dict.fromkeys(names, 0.0)
        for offset, info in enumerate(infos):
            step = index * len(infos) + offset
            for name in (names if step % 2 == 0 else names[::-1]):
                np.random.seed(seed + step)
                start = time.perf_counter()
                pipelines[name](dict(info))
                elapsed[name] += time.perf_counter() - start
        for name in names:
            times[name].append(elapsed[name] / len(infos))
    return times


@contextlib.contextmanager
def one_worker_threads():
    """Run OpenCV and PyTorch on one thread, as in a data-loader worker
    (mmengine sets ``opencv_num_threads=0``, PyTorch gives each worker one
    thread); the settings are restored on exit."""
    cv2_threads, torch_threads = cv2.getNumThreads(), torch.get_num_threads()
    cv2.setNumThreads(0)
    torch.set_num_threads(1)
    try:
        yield
    finally:
        cv2.setNumThreads(cv2_threads)
        torch.set_num_threads(torch_threads)


def main(argv=None) -> int:
    args = parse_args(argv)
    pipelines = dict(
        plain=build_train_pipeline(PLAIN_CONFIG),
        mpm=build_train_pipeline(MPM_CONFIG))
    with tempfile.TemporaryDirectory(prefix='bench_pipeline_') as tmp, \
            one_worker_threads():
        data_root = args.data_root
        if data_root is None:
            data_root = tmp
            make_images(data_root, args.images, args.seed)
        infos = list_samples(data_root, args.images)
        sizes = []
        for info in infos:
            with Image.open(info['img_path']) as image:
                sizes.append(image.size)
        print(f'images: {len(infos)} from {args.data_root or "generated"}, '
              f'mean {np.mean(sizes, axis=0).round().astype(int).tolist()} '
              f'(w, h); one worker; {args.rounds} rounds')
        times = time_pipelines(pipelines, infos, args.rounds, args.seed)
    medians = {name: statistics.median(t) for name, t in times.items()}
    for name, per_sample in times.items():
        print(f'{name}: {1 / medians[name]:.1f} samples/s per worker '
              f'(median {medians[name] * 1e3:.2f} ms a sample; rounds: ' +
              ', '.join(f'{t * 1e3:.2f}' for t in per_sample) + ')')
    ratio = statistics.median(
        mpm / plain for mpm, plain in zip(times['mpm'], times['plain']))
    print(f'mpm_pipeline_vs_plain time_ratio={ratio:.2f}')
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
