# Copyright (c) mmpart contributors. All rights reserved.
"""The few-shot class split of PIN++: disjoint base, val and novel classes.

A split is a dict ``dict(seed=.., sizes=dict(base=.., val=.., novel=..),
base=[..], val=[..], novel=[..])`` with each side's wnids sorted, stored as
JSON. Models are trained on the base classes, and few-shot episodes are
drawn from the val classes (model selection) and the novel classes (the
reported numbers).
"""
import json
from collections import Counter
from typing import Sequence

import numpy as np
from mmengine import fileio

from mmpart.utils.atomic_io import atomic_write_bytes
from .lists import resolve_bundled

#: The sides of a class split, in the order their sizes are given.
CLASS_SPLIT_SIDES = ('base', 'val', 'novel')
#: The bundled split of the 1000 official wnids: 900/50/50, seed 0 (written
#: by ``tools/misc/make_class_split.py --sizes 900 50 50 --seed 0``).
DEFAULT_CLASS_SPLIT = 'mmpart::pinpp_class_split_900-50-50_seed0.json'


def make_class_split(wnids: Sequence[str],
                     sizes: Sequence[int] = (900, 50, 50),
                     seed: int = 0) -> dict:
    """Split classes at random into base, val and novel classes.

    The wnids are sorted first, so the split depends on the set of wnids
    and the seed only, not on the order they are given in.

    Args:
        wnids (Sequence[str]): The classes to split, each once.
        sizes (Sequence[int]): The number of base, val and novel classes;
            they must sum to ``len(wnids)``. Defaults to ``(900, 50, 50)``.
        seed (int): Seed of ``np.random.default_rng``, which permutes the
            sorted wnids. Defaults to 0.

    Returns:
        dict: ``dict(seed=seed, sizes=dict(base=.., val=.., novel=..),
        base=[..], val=[..], novel=[..])``, each side's wnids sorted.
    """
    wnids = list(wnids)
    repeated = sorted(w for w, n in Counter(wnids).items() if n > 1)
    if repeated:
        raise ValueError(f'class split: repeated wnids {repeated}')
    sizes = [int(size) for size in sizes]
    if len(sizes) != len(CLASS_SPLIT_SIDES) or min(sizes) < 0:
        raise ValueError(
            f'class split: expected {len(CLASS_SPLIT_SIDES)} non-negative '
            f'sizes ({", ".join(CLASS_SPLIT_SIDES)}), got {sizes}')
    if sum(sizes) != len(wnids):
        raise ValueError(f'class split: the sizes {sizes} sum to '
                         f'{sum(sizes)}, not to the {len(wnids)} wnids')
    order = np.random.default_rng(seed).permutation(len(wnids))
    shuffled = [sorted(wnids)[i] for i in order]
    split = dict(
        seed=int(seed), sizes=dict(zip(CLASS_SPLIT_SIDES, sizes)))
    start = 0
    for side, size in zip(CLASS_SPLIT_SIDES, sizes):
        split[side] = sorted(shuffled[start:start + size])
        start += size
    return split


def _check_class_split(split, source: str) -> None:
    """Raise a ValueError naming ``source`` if ``split`` is not a valid
    class split (sides present and disjoint, sizes matching them)."""
    if not isinstance(split, dict):
        raise ValueError(f'{source}: a class split is a JSON object, got '
                         f'{type(split).__name__}')
    missing = [
        key for key in ('seed', 'sizes') + CLASS_SPLIT_SIDES
        if key not in split
    ]
    if missing:
        raise ValueError(f'{source}: class split without {missing}')
    sizes = split['sizes']
    if not isinstance(sizes, dict) or sorted(sizes) != sorted(
            CLASS_SPLIT_SIDES):
        raise ValueError(f'{source}: "sizes" must give exactly '
                         f'{list(CLASS_SPLIT_SIDES)}, got {sizes}')
    side_of = {}
    for side in CLASS_SPLIT_SIDES:
        wnids = split[side]
        if not isinstance(wnids, list) or not all(
                isinstance(w, str) for w in wnids):
            raise ValueError(f'{source}: "{side}" must be a list of wnids')
        if len(wnids) != sizes[side]:
            raise ValueError(f'{source}: "{side}" lists {len(wnids)} wnids '
                             f'but its size is {sizes[side]}')
        for wnid in wnids:
            if wnid in side_of:
                raise ValueError(f'{source}: {wnid} is in "{side_of[wnid]}" '
                                 f'and in "{side}"')
            side_of[wnid] = side


def write_class_split(path: str, split: dict) -> None:
    """Write a class split as JSON (atomically).

    Args:
        path (str): The output file.
        split (dict): A split as :func:`make_class_split` returns; it is
            checked first, so no invalid file is ever written.
    """
    _check_class_split(split, path)
    text = json.dumps(split, indent=2) + '\n'
    atomic_write_bytes(path, text.encode())


def read_class_split(path: str) -> dict:
    """Read and check a class split written by :func:`write_class_split`.

    Args:
        path (str): The JSON file, or ``'mmpart::<file name>'`` for a
            bundled one (e.g. :data:`DEFAULT_CLASS_SPLIT`).

    Returns:
        dict: The split, with the keys of :func:`make_class_split`.
    """
    path = resolve_bundled(path)
    try:
        split = json.loads(fileio.get_text(path))
    except json.JSONDecodeError as error:
        raise ValueError(f'{path}: not valid JSON ({error})') from error
    _check_class_split(split, path)
    return split
