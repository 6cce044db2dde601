# Copyright (c) mmpart contributors. All rights reserved.
"""The PIN++ label space: per-class part counts, global part ids, and the
``label_space.tsv`` file that names every id."""
import os.path as osp
import re
from collections import OrderedDict
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from mmengine import fileio

from mmpart.utils.atomic_io import atomic_write_bytes
from .layout import check_wnid
from .lists import META_DIR, resolve_bundled

#: The official table of part counts per wnid (1000 rows, sum 3310).
OFFICIAL_PART_COUNTS = osp.join(META_DIR, 'pinpp_part_counts.tsv')
#: Columns of ``label_space.tsv``.
LABEL_SPACE_HEADER = ('id', 'wnid', 'object', 'part', 'parent')
#: What a field of ``label_space.tsv`` cannot hold: its column separator
#: and the line breaks its reader splits rows at.
FIELD_SEPARATORS = re.compile(r'[\t\n\r]')
#: The ``wnid``, ``object``, ``part`` and ``parent`` of row 0.
BACKGROUND_ROW = dict(
    id=0, wnid='-', object='background', part='background', parent='-')


def load_part_counts(path: Optional[str] = None,
                     backend_args: Optional[dict] = None
                     ) -> 'OrderedDict[str, int]':
    """Read a part-count table: a ``wnid<TAB>num_parts`` header, then rows.

    Args:
        path (str, optional): The table (or ``'mmpart::<file name>'``).
            Defaults to the official one.
        backend_args (dict, optional): mmengine file backend arguments.

    Returns:
        OrderedDict[str, int]: Part count by wnid, in sorted wnid order.

    Raises:
        ValueError: A bad header or row, naming the file and line; a wnid
            that is not a safe folder name (:func:`check_wnid`) is one, as
            wnids name the folders the converter reads and writes.
    """
    path = resolve_bundled(path) or OFFICIAL_PART_COUNTS
    lines = fileio.get_text(path, backend_args=backend_args).splitlines()
    header = lines[0].split() if lines else []
    if header != ['wnid', 'num_parts']:
        raise ValueError(f'{path}: expected the header "wnid num_parts", '
                         f'got {header}')
    counts: Dict[str, int] = {}
    for lineno, line in enumerate(lines[1:], start=2):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 2 or not fields[1].isdigit():
            raise ValueError(f'{path}:{lineno}: bad row {line!r}')
        check_wnid(fields[0], f'{path}:{lineno}')
        if fields[0] in counts:
            raise ValueError(f'{path}:{lineno}: {fields[0]} repeated')
        counts[fields[0]] = int(fields[1])
    return OrderedDict(sorted(counts.items()))


def imagenet_object_names() -> 'OrderedDict[str, str]':
    """The short ImageNet-1K class name of each wnid of the official table.

    The table lists the 1000 wnids sorted, which is ImageNet's class-index
    order, so a wnid's position indexes mmpretrain's
    ``IMAGENET_CATEGORIES``; its first comma-separated name is kept.

    Returns:
        OrderedDict[str, str]: Name by wnid, in class-index order.
    """
    from mmpretrain.datasets.categories import IMAGENET_CATEGORIES
    return OrderedDict(
        (wnid, IMAGENET_CATEGORIES[index].split(',')[0].strip())
        for index, wnid in enumerate(load_part_counts()))


def part_id_offsets(counts: Mapping[str, int]) -> 'OrderedDict[str, int]':
    """Global id of each class's first part (0 is background).

    Args:
        counts (Mapping[str, int]): Part count by wnid.

    Returns:
        OrderedDict[str, int]: ``1 + sum of the counts of the wnids sorted
        before it``, by wnid in sorted order.
    """
    offsets, next_id = OrderedDict(), 1
    for wnid in sorted(counts):
        offsets[wnid] = next_id
        next_id += counts[wnid]
    return offsets


def label_space_field(text: str) -> str:
    """``text`` as ``label_space.tsv`` can hold it: each tab or line break
    (:data:`FIELD_SEPARATORS`) replaced by a space.

    Args:
        text (str): A name.

    Returns:
        str: The name, unchanged if the file can hold it.
    """
    return FIELD_SEPARATORS.sub(' ', text)


def write_label_space(path: str, rows: Sequence[dict]) -> None:
    """Write the label-space file: a TSV with :data:`LABEL_SPACE_HEADER`.

    Args:
        path (str): Output path.
        rows (Sequence[dict]): One dict per global id, in id order, row 0
            the background; ``parent`` is a part name or ``'-'``.

    Raises:
        ValueError: A row out of order, or a field with a tab or line
            break, which :func:`read_label_space` could not read back (pass
            names through :func:`label_space_field` first).
    """
    lines = ['\t'.join(LABEL_SPACE_HEADER)]
    for expected_id, row in enumerate(rows):
        if row['id'] != expected_id:
            raise ValueError(f'label-space row {expected_id} has id '
                             f'{row["id"]}')
        fields = [str(row[k]) for k in LABEL_SPACE_HEADER]
        for key, value in zip(LABEL_SPACE_HEADER, fields):
            if label_space_field(value) != value:
                raise ValueError(
                    f'{path}: label-space row {expected_id} has the {key} '
                    f'{value!r}, with a tab or line break the file cannot '
                    'hold')
        lines.append('\t'.join(fields))
    atomic_write_bytes(path, ('\n'.join(lines) + '\n').encode())


def read_label_space(path: str,
                     backend_args: Optional[dict] = None) -> List[dict]:
    """Read a label-space file written by :func:`write_label_space`.

    Args:
        path (str): The TSV file.
        backend_args (dict, optional): mmengine file backend arguments.

    Returns:
        list[dict]: Rows with ``id`` (int), ``wnid``, ``object``, ``part``
        and ``parent``, where row ``i`` has id ``i``.
    """
    path = resolve_bundled(path)
    lines = fileio.get_text(path, backend_args=backend_args).split('\n')
    header = tuple(lines[0].split('\t'))
    if header != LABEL_SPACE_HEADER:
        raise ValueError(f'{path}: expected the header '
                         f'{LABEL_SPACE_HEADER}, got {header}')
    rows = []
    for lineno, line in enumerate(lines[1:], start=2):
        if not line and lineno == len(lines):
            break  # the final newline
        fields = line.split('\t')
        if len(fields) != len(LABEL_SPACE_HEADER) or \
                fields[0] != str(len(rows)):
            raise ValueError(f'{path}:{lineno}: bad row {line!r}')
        row = dict(zip(LABEL_SPACE_HEADER, fields))
        row['id'] = int(row['id'])
        rows.append(row)
    return rows


class LabelSpace:
    """The part and object classes of a processed PIN++ set.

    Row ``i`` of the label space names global part id ``i``: row 0 the
    background, then each class's parts as one block of consecutive ids.
    The objects are the classes in the order of their blocks (sorted wnids
    for the converter's output), so the object label of a wnid is its
    block's index and its object-map id that plus one.

    Args:
        rows (Sequence[dict]): Rows as :func:`read_label_space` returns.
        source (str): Where the rows come from, for error messages.

    Examples:
        >>> space = LabelSpace.from_file('data/pinpp/label_space.tsv')
        >>> space.part_names[:2]
        ('background', 'tench/body')
        >>> space.object_label['n01440764'], space.part_offsets['n01440764']
        (0, 1)
    """

    def __init__(self, rows: Sequence[dict], source: str = 'label space'):
        rows = [dict(row) for row in rows]
        if not rows or (rows[0].get('id'), rows[0].get('wnid')) != (0, '-'):
            raise ValueError(f'{source}: row 0 must be the background '
                             f'(id 0, wnid "-"), got {rows[:1]}')
        objects: Dict[str, str] = OrderedDict()
        offsets: Dict[str, int] = OrderedDict()
        for index, row in enumerate(rows[1:], start=1):
            where = f'{source}: row {index} ({row["wnid"]})'
            wnid = row['wnid']
            if row['id'] != index:
                raise ValueError(f'{where}: has id {row["id"]}')
            if wnid not in objects:
                objects[wnid] = row['object']
                offsets[wnid] = index
            elif wnid != rows[index - 1]['wnid']:
                raise ValueError(f'{where}: the parts of a class must have '
                                 'consecutive ids')
            elif row['object'] != objects[wnid]:
                raise ValueError(f'{where}: object {row["object"]!r}, the '
                                 f'class\'s earlier rows say '
                                 f'{objects[wnid]!r}')
        self.rows = rows
        #: tuple[str]: The wnids in object order.
        self.wnids: Tuple[str, ...] = tuple(objects)
        #: tuple[str]: The object names in object order.
        self.object_names: Tuple[str, ...] = tuple(objects.values())
        #: dict[str, int]: The object label (index) of each wnid.
        self.object_label: Dict[str, int] = {
            wnid: label
            for label, wnid in enumerate(self.wnids)
        }
        #: dict[str, int]: The global id of each class's first part.
        self.part_offsets: Dict[str, int] = dict(offsets)
        ends = list(offsets.values())[1:] + [len(rows)]
        #: dict[str, int]: The number of parts of each class.
        self.part_counts: Dict[str, int] = {
            wnid: end - start
            for (wnid, start), end in zip(offsets.items(), ends)
        }

    @classmethod
    def from_file(cls,
                  path: str,
                  backend_args: Optional[dict] = None) -> 'LabelSpace':
        """Read ``label_space.tsv``.

        Args:
            path (str): The file.
            backend_args (dict, optional): mmengine file backend arguments.

        Returns:
            LabelSpace: Its label space.
        """
        return cls(read_label_space(path, backend_args), source=path)

    @classmethod
    def from_part_counts(
            cls,
            counts: Mapping[str, int],
            object_names: Optional[Mapping[str, str]] = None,
            part_names: Optional[Mapping[str, Sequence[str]]] = None,
            parents: Optional[Mapping[str, Mapping[str, str]]] = None
    ) -> 'LabelSpace':
        """Build the label space of a part-count table.

        Classes take blocks of ids in sorted wnid order
        (:func:`part_id_offsets`).

        Args:
            counts (Mapping[str, int]): Part count by wnid, each at least 1.
            object_names (Mapping[str, str], optional): Object name by wnid;
                the wnid where missing.
            part_names (Mapping[str, Sequence[str]], optional): Part names
                by wnid, in category order; ``part<k>`` (from 1) where
                missing or short.
            parents (Mapping[str, Mapping[str, str]], optional): The parent
                of each part inside another, by wnid and part name.

        Returns:
            LabelSpace: The label space.
        """
        empty = [wnid for wnid, count in counts.items() if count < 1]
        if empty:
            raise ValueError(f'classes without parts cannot be in the label '
                             f'space: {empty[:5]}')
        object_names = object_names or {}
        part_names = part_names or {}
        parents = parents or {}
        rows = [dict(BACKGROUND_ROW)]
        for wnid, offset in part_id_offsets(counts).items():
            names = list(part_names.get(wnid, ()))
            for k in range(counts[wnid]):
                name = names[k] if k < len(names) else f'part{k + 1}'
                rows.append(
                    dict(id=offset + k, wnid=wnid,
                         object=object_names.get(wnid, wnid), part=name,
                         parent=parents.get(wnid, {}).get(name, '-')))
        return cls(rows, source='part-count table')

    def write(self, path: str) -> None:
        """Write ``label_space.tsv`` (see :func:`write_label_space`)."""
        write_label_space(path, self.rows)

    @property
    def num_part_classes(self) -> int:
        """Part classes, the background included (3311 officially)."""
        return len(self.rows)

    def part_id_range(self, wnid: str) -> Tuple[int, int]:
        """``(start, stop)`` of a class's global part ids.

        Args:
            wnid (str): The class.

        Returns:
            tuple[int, int]: The first part id and one past the last.
        """
        if wnid not in self.part_offsets:
            raise KeyError(f'{wnid} is not a class of the label space '
                           f'{self}')
        start = self.part_offsets[wnid]
        return start, start + self.part_counts[wnid]

    @property
    def part_names(self) -> Tuple[str, ...]:
        """Display name of each part class, ``'<object>/<part>'``, with
        ``'background'`` first."""
        names = [f'{row["object"]}/{row["part"]}' for row in self.rows[1:]]
        return ('background', *names)

    @property
    def object_class_names(self) -> Tuple[str, ...]:
        """Names of the object-map classes: ``'background'``, then the
        objects (1001 officially)."""
        return ('background', ) + self.object_names

    def __repr__(self) -> str:
        return (f'{type(self).__name__}({len(self.wnids)} objects, '
                f'{self.num_part_classes} part classes)')
