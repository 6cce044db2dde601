# Copyright (c) mmpart contributors. All rights reserved.
"""Write ImageNet-C folders from clean images, for users who have only the
clean val set and want the released layout (or a fixed copy to share)."""
import os.path as osp
from typing import Dict, Optional, Sequence

import cv2
import mmcv
import mmengine

from mmpart.datasets.lists import read_image_list, resolve_bundled
from mmpart.datasets.robustness.imagenet_c_dataset import (
    IMAGENET_C_CORRUPTIONS, IMAGENET_C_SEVERITIES)
from mmpart.datasets.transforms.corruption import ImageNetCorruption
from mmpart.utils.atomic_io import atomic_write_bytes, remove_stale_tmp_files


def _centre_crop(img, crop: int):
    """ImageNet-C's preprocessing: shorter side to crop*256/224, centre
    crop of ``crop`` pixels."""
    img = mmcv.imrescale(img, (10**9, round(crop * 256 / 224)))
    h, w = img.shape[:2]
    top, left = (h - crop) // 2, (w - crop) // 2
    return img[top:top + crop, left:left + crop]


class _ImageWriter:
    """Corrupt one clean image every way and write the JPEGs (picklable for
    worker processes)."""

    def __init__(self, clean_root: str, out_root: str,
                 corruptions: Sequence[str], severities: Sequence[int],
                 crop: Optional[int], seed: int, quality: int):
        self.clean_root, self.out_root = clean_root, out_root
        self.jobs = [(c, s) for c in corruptions for s in severities]
        self.transforms = {(c, s): ImageNetCorruption(c, s, seed)
                           for c, s in self.jobs}
        self.crop, self.quality = crop, quality

    def __call__(self, rel_path: str) -> Dict[str, int]:
        outputs = [(c, s, osp.join(self.out_root, c, str(s),
                                   osp.splitext(rel_path)[0] + '.JPEG'))
                   for c, s in self.jobs]
        todo = [job for job in outputs if not osp.exists(job[2])]
        if not todo:
            return dict(skipped_existing=len(outputs))
        src = osp.join(self.clean_root, rel_path)
        if not osp.isfile(src):
            return dict(missing_images=1)
        img = mmcv.imread(src, channel_order='bgr')
        if img is None:
            return dict(unreadable_images=1)
        if self.crop:
            img = _centre_crop(img, self.crop)
        for corruption, severity, dst in todo:
            out = self.transforms[(corruption, severity)](
                dict(img=img.copy(), img_path=src))['img']
            atomic_write_bytes(dst, _encode_jpeg(out, self.quality))
        return dict(written=len(todo),
                    skipped_existing=len(outputs) - len(todo))


def _encode_jpeg(img, quality: int) -> bytes:
    ok, buf = cv2.imencode('.JPEG', img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise RuntimeError('JPEG encoding failed')
    return buf.tobytes()


def write_imagenet_c(clean_list: str,
                     clean_root: str,
                     out_root: str,
                     corruptions: Sequence[str] = IMAGENET_C_CORRUPTIONS,
                     severities: Sequence[int] = IMAGENET_C_SEVERITIES,
                     crop: Optional[int] = 224,
                     seed: int = 0,
                     quality: int = 85,
                     nproc: int = 1) -> Dict[str, int]:
    """Write ``out_root/<corruption>/<severity>/<wnid>/<stem>.JPEG``.

    Each clean image is (optionally) resized and centre-cropped as
    ImageNet-C was, corrupted by :class:`ImageNetCorruption` (seeded by
    file name, so the files equal the on-the-fly samples) and saved as JPEG
    of the given quality (ImageNet-C used 85). Writes are atomic and a rerun
    skips finished files.

    Args:
        clean_list (str): Lines ``<wnid>/<file> [label]`` (or
            ``'mmpart::<file name>'``, e.g. the 10k val subset).
        clean_root (str): Folder the list's paths are relative to.
        out_root (str): The ImageNet-C root to write.
        corruptions (Sequence[str]): Defaults to the 15 test corruptions.
        severities (Sequence[int]): Defaults to 1 to 5.
        crop (int, optional): Centre-crop side; None keeps the full image.
            Defaults to 224.
        seed (int): Corruption seed. Defaults to 0.
        quality (int): JPEG quality. Defaults to 85.
        nproc (int): Worker processes. Defaults to 1.

    Returns:
        dict[str, int]: Counts of ``written``, ``skipped_existing``,
        ``missing_images`` and ``unreadable_images`` (clean images).

    Raises:
        FileNotFoundError: The list or the clean root does not exist
            (checked before anything is written).
    """
    clean_list = resolve_bundled(clean_list)
    if not osp.isfile(clean_list):
        raise FileNotFoundError(f'clean image list {clean_list} does not '
                                'exist')
    if not osp.isdir(clean_root):
        raise FileNotFoundError(f'clean image folder {clean_root} does not '
                                'exist')
    rel_paths = [
        entry.path
        for entry in read_image_list(clean_list, labels_optional=True)
    ]
    if osp.isdir(out_root):
        remove_stale_tmp_files(out_root)
    writer = _ImageWriter(clean_root, out_root, corruptions, severities, crop,
                          seed, quality)
    if nproc > 1:
        results = mmengine.track_parallel_progress(writer, rel_paths, nproc)
    else:
        results = mmengine.track_progress(writer, rel_paths)
    counts = dict(written=0, skipped_existing=0, missing_images=0,
                  unreadable_images=0)
    for result in results:
        for key, value in result.items():
            counts[key] += value
    return counts
