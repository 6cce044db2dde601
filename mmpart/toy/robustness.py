# Copyright (c) mmpart contributors. All rights reserved.
"""A toy robustness data root, in the layout of
``configs/robustness/imagenet_suite.py``, made from a toy PIN++ set.

What each shift is at toy scale (the toy classes are told apart by body
shape, body colour and parts):

- ``imagenet/``: the toy val images, list and classes (clean and
  adversarial).
- ``imagenet-c/``: the 15 corruptions x 5 severities of the val images.
- ``imagenet-r/``: "renditions" (posterised colours with dark outlines) of
  the toy classes that are in ImageNet-R's 200.
- ``imagenet-a/``: val images with a random grey occluder, for the toy
  classes in ImageNet-A's 200.
- ``imagenet-a-plus/``: those occluded images, each cut to a box of another
  aspect ratio around the object (ImageNet-A-Plus holds the objects of
  ImageNet-A images, cropped by hand).
- ``imagenet-sketch/sketch/``: dark edge drawings on white.
- ``stylized-imagenet/val/``: the hues rotated by a random 60 to 300 degrees.
- ``cue-conflict/``: pairs of toy classes share body shape and colour; each
  pair is a coarse category (``categories.json``), and an image draws the
  objects of one pair in the colours of another.
"""
import json
import os
import os.path as osp
from dataclasses import replace
from functools import partial
from typing import Callable, Dict, List, Optional, Sequence, Set

import cv2
import numpy as np

from mmpart.converters.imagenet_c_writer import write_imagenet_c
from mmpart.datasets.lists import read_image_list, read_wnid_list
from mmpart.datasets.robustness import (IMAGENET_A_WNIDS,
                                        IMAGENET_C_CORRUPTIONS,
                                        IMAGENET_C_SEVERITIES,
                                        IMAGENET_R_WNIDS)
from .pinpp import ClassSpec, PartSpec, render_instance


def _rendition(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    levels = int(rng.integers(3, 6))
    step = 256 // levels
    out = (img // step) * step + step // 2
    edges = cv2.Canny(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), 60, 160)
    out[cv2.dilate(edges, np.ones((2, 2), np.uint8)) > 0] = 20
    return out.astype(np.uint8)


def _occluded(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    out = img.copy()
    h, w = img.shape[:2]
    bh, bw = (rng.uniform(0.25, 0.45, size=2) * (h, w)).astype(int)
    top, left = rng.integers(0, h - bh), rng.integers(0, w - bw)
    out[top:top + bh, left:left + bw] = int(rng.integers(60, 200))
    return out


def _object_crop(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A box of another aspect ratio than the image, around the object."""
    h, w = img.shape[:2]
    # One side keeps 85 %, the other 55 to 70 %, around the centre (where
    # the toy object lies).
    keep = np.array([0.85, rng.uniform(0.55, 0.7)])
    bh, bw = (rng.permutation(keep) * (h, w)).astype(int)
    room = np.array([h - bh, w - bw])
    top, left = np.clip(room // 2 + rng.integers(-2, 3, size=2), 0, room)
    return img[top:top + bh, left:left + bw].copy()


def _sketch(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    gray = cv2.GaussianBlur(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), (3, 3), 0)
    edges = cv2.Canny(gray, 40, 120)
    out = np.full(gray.shape, 255, np.uint8)
    out[edges > 0] = int(rng.integers(0, 60))
    return cv2.cvtColor(out, cv2.COLOR_GRAY2BGR)


def _stylized(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    hsv = cv2.cvtColor(img, cv2.COLOR_BGR2HSV).astype(np.int32)
    hsv[..., 0] = (hsv[..., 0] + int(rng.integers(30, 150))) % 180
    return cv2.cvtColor(hsv.astype(np.uint8), cv2.COLOR_HSV2BGR)


_SHIFTS = dict(rendition=_rendition, occluded=_occluded, sketch=_sketch,
               stylized=_stylized)


def _spec_from_dict(spec: dict) -> ClassSpec:
    parts = [PartSpec(**dict(p, center=tuple(p['center']),
                             half_size=tuple(p['half_size']),
                             hsv=tuple(p['hsv']))) for p in spec['parts']]
    return ClassSpec(spec['wnid'], spec['name'], parts)


def _write(path: str, img: np.ndarray) -> None:
    os.makedirs(osp.dirname(path), exist_ok=True)
    if not cv2.imwrite(path, img):
        raise OSError(f'could not write {path}')


def _write_shifted(toy_dir: str, taken: Dict[str, List[str]],
                   wnids: Optional[Set[str]], out_dir: str,
                   shift: Callable[[np.ndarray], np.ndarray]) -> int:
    """Write ``shift`` of the taken val images of ``wnids`` (None: all) to
    ``out_dir/<wnid>/<file>``, in ``taken``'s order; return how many."""
    written = 0
    for wnid, paths in taken.items():
        if wnids is not None and wnid not in wnids:
            continue
        for rel_path in paths:
            img = cv2.imread(osp.join(toy_dir, 'val', rel_path))
            _write(osp.join(out_dir, rel_path), shift(img))
            written += 1
    return written


def make_toy_robustness_root(toy_dir: str,
                             out_dir: str,
                             per_class: int = 2,
                             corruptions: Sequence[str] = (
                                 IMAGENET_C_CORRUPTIONS),
                             severities: Sequence[int] = IMAGENET_C_SEVERITIES,
                             cue_conflict_per_pair: int = 4,
                             seed: int = 0,
                             skip: Sequence[str] = ()) -> Dict[str, int]:
    """Write the toy robustness root (see the module docstring).

    Args:
        toy_dir (str): A toy PIN++ set (``make_toy_pinpp`` output).
        out_dir (str): The root to write.
        per_class (int): Val images per class taken into each shifted set.
            Defaults to 2.
        corruptions (Sequence[str]): ImageNet-C corruptions to write.
        severities (Sequence[int]): ImageNet-C severities to write.
        cue_conflict_per_pair (int): Cue-conflict images per ordered pair
            of coarse categories. Defaults to 4.
        seed (int): Randomness of the shifts. Defaults to 0.
        skip (Sequence[str]): Top-level folders not to write (to test the
            suite's skipping), e.g. ``('imagenet-a', )``.

    Returns:
        dict[str, int]: Images written per top-level folder.
    """
    with open(osp.join(toy_dir, 'toy_pinpp.json')) as f:
        toy = json.load(f)
    specs = [_spec_from_dict(s) for s in toy['class_specs']]
    val = read_image_list(osp.join(toy_dir, 'meta', 'val.txt'))
    taken: Dict[str, List[str]] = {}
    for entry in val:
        if len(taken.setdefault(entry.wnid, [])) < per_class:
            taken[entry.wnid].append(entry.path)
    counts: Dict[str, int] = {}

    if 'imagenet' not in skip:
        os.makedirs(osp.join(out_dir, 'imagenet', 'meta'), exist_ok=True)
        link = osp.join(out_dir, 'imagenet', 'val')
        if not osp.lexists(link):
            os.symlink(osp.abspath(osp.join(toy_dir, 'val')), link)
        with open(osp.join(out_dir, 'imagenet', 'meta', 'val.txt'),
                  'w') as f:
            f.write(''.join(f'{e.path} {e.label}\n' for e in val))
        with open(osp.join(out_dir, 'imagenet', 'meta', 'classes.txt'),
                  'w') as f:
            f.write(''.join(f'{s.wnid}\n' for s in specs))
        counts['imagenet'] = len(val)

    subset = osp.join(out_dir, 'clean_subset.txt')
    with open(subset, 'w') as f:
        f.write(''.join(f'{p}\n' for paths in taken.values() for p in paths))
    if 'imagenet-c' not in skip:
        written = write_imagenet_c(
            subset, osp.join(toy_dir, 'val'), osp.join(out_dir, 'imagenet-c'),
            corruptions, severities, crop=None, seed=seed)
        counts['imagenet-c'] = written['written'] + written[
            'skipped_existing']

    r_wnids = set(read_wnid_list(IMAGENET_R_WNIDS))
    a_wnids = set(read_wnid_list(IMAGENET_A_WNIDS))
    shifted = [('imagenet-r', '', 'rendition', r_wnids),
               ('imagenet-a', '', 'occluded', a_wnids),
               ('imagenet-sketch', 'sketch', 'sketch', None),
               ('stylized-imagenet', 'val', 'stylized', None)]
    for index, (folder, prefix, shift, wnids) in enumerate(shifted):
        if folder in skip:
            continue
        counts[folder] = _write_shifted(
            toy_dir, taken, wnids, osp.join(out_dir, folder, prefix),
            partial(_SHIFTS[shift], rng=np.random.default_rng([seed, index])))
    if 'imagenet-a-plus' not in skip:
        # The toy ImageNet-A images again (their occluders drawn anew from
        # ImageNet-A's seed), each cut around its object.
        a_index = [folder for folder, *_ in shifted].index('imagenet-a')
        occluders = np.random.default_rng([seed, a_index])
        crops = np.random.default_rng([seed, len(shifted)])
        counts['imagenet-a-plus'] = _write_shifted(
            toy_dir, taken, a_wnids, osp.join(out_dir, 'imagenet-a-plus'),
            lambda img: _object_crop(_occluded(img, occluders), crops))

    if 'cue-conflict' not in skip:
        counts['cue-conflict'] = _write_cue_conflict(
            specs, toy['image_size'], osp.join(out_dir, 'cue-conflict'),
            cue_conflict_per_pair, seed)
    return counts


def _write_cue_conflict(specs: List[ClassSpec], size: int, out_dir: str,
                        per_pair: int, seed: int) -> int:
    """Shape (and parts) of one class pair in the colours of another."""
    pairs = [specs[i:i + 2] for i in range(0, len(specs), 2)]
    names = [f'pair_{chr(ord("a") + i)}' for i in range(len(pairs))]
    categories = {name: list(range(2 * i, 2 * i + len(pair)))
                  for i, (name, pair) in enumerate(zip(names, pairs))}
    os.makedirs(out_dir, exist_ok=True)
    with open(osp.join(out_dir, 'categories.json'), 'w') as f:
        json.dump(categories, f, indent=1)
    written = 0
    for s, (shape_name, shape_pair) in enumerate(zip(names, pairs)):
        for t, (texture_name, texture_pair) in enumerate(zip(names, pairs)):
            if s == t:
                continue
            colours = [p.hsv for p in texture_pair[0].parts]
            for n in range(per_pair):
                rng = np.random.default_rng([seed, s, t, n, 3])
                spec = shape_pair[n % len(shape_pair)]
                recoloured = replace(spec, parts=[
                    replace(p, hsv=colours[k % len(colours)])
                    for k, p in enumerate(spec.parts)
                ])
                img, _ = render_instance(recoloured, rng, size)
                _write(osp.join(out_dir, shape_name,
                                f'{shape_name}{n + 1}-{texture_name}'
                                f'{n + 1}.png'), img)
                written += 1
    return written
