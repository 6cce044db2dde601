# Copyright (c) mmpart contributors. All rights reserved.
"""Readers for the files of the PIN++ release whose structure varies.

``including/<wnid>.txt`` has CRLF line endings and maybe no final newline;
``discarded_data.json`` and ``category_name.json`` have no documented
structure, so they are read tolerantly. A file that cannot be read at all
(bad bytes, bad JSON, a broken line) raises :class:`PINPPFormatError`
naming the file and the line.
"""
import json
import os.path as osp
from typing import Dict, List, Sequence, Set, Tuple

#: Folder of the class files, ``<wnid>.json`` (COCO style).
CLASS_FILE_DIR = 'json'
#: Folder of the part inclusions, ``<wnid>.txt`` (``child:parent`` lines).
INCLUSION_DIR = 'including'
#: The list of discarded images.
DISCARDED_FILE = 'discarded_data.json'
#: The object and part names per class.
OBJECT_NAMES_FILE = 'category_name.json'


class PINPPFormatError(ValueError):
    """The release breaks the format in a way that cannot be skipped."""


def read_text(path: str) -> str:
    """Read a UTF-8 file of the release (a BOM is dropped).

    Args:
        path (str): The file.

    Returns:
        str: Its text, line endings as they are.

    Raises:
        PINPPFormatError: Bytes that are not UTF-8, naming the file and the
            line.
    """
    with open(path, 'rb') as f:
        data = f.read()
    try:
        return data.decode('utf-8-sig')
    except UnicodeDecodeError as e:
        lineno = data[:e.start].count(b'\n') + 1
        raise PINPPFormatError(f'{path}:{lineno}: not UTF-8 ({e.reason} at '
                               f'byte {e.start})') from None


def read_json(path: str):
    """Read a JSON file of the release.

    Args:
        path (str): The file.

    Returns:
        The JSON value.

    Raises:
        PINPPFormatError: Bytes that are not UTF-8 or text that is not
            JSON, naming the file and the line.
    """
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise PINPPFormatError(f'{path}:{e.lineno}: not valid JSON '
                               f'({e})') from None


def read_inclusions(path: str) -> List[Tuple[str, str]]:
    """Read ``including/<wnid>.txt``: one ``child:parent`` a line.

    Args:
        path (str): The file.

    Returns:
        list[tuple[str, str]]: ``(child, parent)`` part-name pairs.

    Raises:
        PINPPFormatError: A line that is not ``child:parent`` or bytes that
            are not UTF-8, naming the file and the line.
    """
    text = read_text(path)
    relations = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        child, sep, parent = line.partition(':')
        if not sep or not child.strip() or not parent.strip():
            raise PINPPFormatError(f'{path}:{lineno}: expected '
                                   f'"child:parent", got {line!r}')
        relations.append((child.strip(), parent.strip()))
    return relations


def inclusion_depths(part_names: Sequence[str],
                     relations: Sequence[Tuple[str, str]],
                     source: str = '') -> Dict[str, int]:
    """Depth of each part in the inclusion forest (0 = no parent).

    Painting parts in increasing depth puts every parent under its
    children, so finer parts survive where they overlap.

    Args:
        part_names (Sequence[str]): The class's part names.
        relations (Sequence[tuple]): ``(child, parent)`` pairs whose names
            are all in ``part_names``.
        source (str): File named in error messages.

    Returns:
        dict[str, int]: Depth by part name.

    Raises:
        PINPPFormatError: A part with two parents or a cycle.
    """
    parent_of = {}
    for child, parent in relations:
        if parent_of.get(child, parent) != parent:
            raise PINPPFormatError(f'{source}: part {child!r} has two '
                                   f'parents, {parent_of[child]!r} and '
                                   f'{parent!r}')
        parent_of[child] = parent
    depths = {}
    for name in part_names:
        chain, node = [], name
        while node in parent_of:
            if node in chain:
                raise PINPPFormatError(f'{source}: inclusion cycle through '
                                       f'{" -> ".join(chain + [node])}')
            chain.append(node)
            node = parent_of[node]
        depths[name] = len(chain)
    return depths


def _strings(obj) -> List[str]:
    """All strings anywhere inside a JSON value (keys included)."""
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for k, v in obj.items() for s in _strings(k) + _strings(v)]
    if isinstance(obj, list):
        return [s for v in obj for s in _strings(v)]
    return []


def read_discarded(path: str) -> Set[str]:
    """Read ``discarded_data.json`` into a set of image stems.

    Its structure is not documented, so every string in it that names an
    image (``<wnid>_<n>``, with or without folder and extension) counts,
    whether it sits in a list, a dict by wnid or records with a file name.

    Args:
        path (str): The file.

    Returns:
        set[str]: Stems such as ``'n01440764_10026'``.
    """
    data = read_json(path)
    stems = set()
    for text in _strings(data):
        stem = osp.splitext(osp.basename(text.replace('\\', '/')))[0]
        wnid, sep, number = stem.partition('_')
        if wnid.startswith('n') and sep and number.isdigit():
            stems.add(stem)
    return stems


def read_object_names(path: str) -> Dict[str, str]:
    """Read object names by wnid from ``category_name.json``, if it has them.

    Accepted shapes: ``{wnid: name}``, ``{wnid: {"object"|"name": name,
    ...}}`` or ``{wnid: [name, part, ...]}``; other entries are ignored and
    the caller falls back to the ImageNet class names.

    Args:
        path (str): The file.

    Returns:
        dict[str, str]: Object name by wnid.
    """
    data = read_json(path)
    names = {}
    if not isinstance(data, dict):
        return names
    for wnid, value in data.items():
        if isinstance(value, dict):
            value = value.get('object', value.get('name'))
        elif isinstance(value, list) and value:
            value = value[0]
        if isinstance(value, str) and value.strip():
            names[wnid] = value.strip()
    return names
