# Copyright (c) mmpart contributors. All rights reserved.
"""The PIN++ label space: per-class part counts and global part ids."""
import os.path as osp
from collections import OrderedDict
from typing import Dict, List, Optional, Tuple

from mmpart.utils.atomic_io import atomic_write_bytes

META_DIR = osp.join(osp.dirname(osp.abspath(__file__)), 'meta')
#: The official table of part counts per wnid (1000 rows, sum 3310).
OFFICIAL_PART_COUNTS = osp.join(META_DIR, 'pinpp_part_counts.tsv')
#: The ImageNet val subsets used for clean and robust accuracy.
VAL_SUBSET_10K = osp.join(META_DIR, 'imagenet_val_subset_10k.txt')
VAL_SUBSET_5K_AUTOATTACK = osp.join(META_DIR,
                                    'imagenet_val_subset_5k_autoattack.txt')


def load_part_counts(path: Optional[str] = None) -> 'OrderedDict[str, int]':
    """Read a part-count table: a ``wnid<TAB>num_parts`` header, then rows.

    Args:
        path (str, optional): The table. Defaults to the official one.

    Returns:
        OrderedDict[str, int]: Part count by wnid, in sorted wnid order.
    """
    path = path or OFFICIAL_PART_COUNTS
    counts: Dict[str, int] = {}
    with open(path) as f:
        header = f.readline().split()
        if header != ['wnid', 'num_parts']:
            raise ValueError(f'{path}: expected the header "wnid num_parts", '
                             f'got {header}')
        for lineno, line in enumerate(f, start=2):
            fields = line.split()
            if not fields:
                continue
            if len(fields) != 2 or not fields[1].isdigit():
                raise ValueError(f'{path}:{lineno}: bad row {line!r}')
            if fields[0] in counts:
                raise ValueError(f'{path}:{lineno}: {fields[0]} repeated')
            counts[fields[0]] = int(fields[1])
    return OrderedDict(sorted(counts.items()))


def part_id_offsets(counts: Dict[str, int]) -> 'OrderedDict[str, int]':
    """Global id of each class's first part (0 is background).

    Args:
        counts (dict[str, int]): Part count by wnid.

    Returns:
        OrderedDict[str, int]: ``1 + sum of the counts of the wnids sorted
        before it``, by wnid in sorted order.
    """
    offsets, next_id = OrderedDict(), 1
    for wnid in sorted(counts):
        offsets[wnid] = next_id
        next_id += counts[wnid]
    return offsets


LABEL_SPACE_HEADER = ('id', 'wnid', 'object', 'part', 'parent')


def write_label_space(path: str, rows: List[dict]) -> None:
    """Write the label-space file: a TSV with :data:`LABEL_SPACE_HEADER`.

    Args:
        path (str): Output path.
        rows (list[dict]): One dict per global id, in id order, row 0 the
            background; ``parent`` is a part name or ``'-'``.
    """
    lines = ['\t'.join(LABEL_SPACE_HEADER)]
    for expected_id, row in enumerate(rows):
        if row['id'] != expected_id:
            raise ValueError(f'label-space row {expected_id} has id '
                             f'{row["id"]}')
        lines.append('\t'.join(str(row[k]) for k in LABEL_SPACE_HEADER))
    atomic_write_bytes(path, ('\n'.join(lines) + '\n').encode())


def read_label_space(path: str) -> List[dict]:
    """Read a label-space file written by :func:`write_label_space`.

    Args:
        path (str): The TSV file.

    Returns:
        list[dict]: Rows with ``id`` (int), ``wnid``, ``object``, ``part``
        and ``parent``, where row ``i`` has id ``i``.
    """
    with open(path) as f:
        header = tuple(f.readline().rstrip('\n').split('\t'))
        if header != LABEL_SPACE_HEADER:
            raise ValueError(f'{path}: expected the header '
                             f'{LABEL_SPACE_HEADER}, got {header}')
        rows = []
        for lineno, line in enumerate(f, start=2):
            fields = line.rstrip('\n').split('\t')
            if len(fields) != len(LABEL_SPACE_HEADER) or \
                    fields[0] != str(len(rows)):
                raise ValueError(f'{path}:{lineno}: bad row {line!r}')
            row = dict(zip(LABEL_SPACE_HEADER, fields))
            row['id'] = int(row['id'])
            rows.append(row)
    return rows


def part_class_names(rows: List[dict]) -> Tuple[str, ...]:
    """Display names of the part classes, ``'<object>/<part>'``.

    Args:
        rows (list[dict]): Label-space rows.

    Returns:
        tuple[str]: One name per global id, ``'background'`` first.
    """
    return tuple('background' if r['id'] == 0 else
                 f'{r["object"]}/{r["part"]}' for r in rows)
