# Copyright (c) mmpart contributors. All rights reserved.
"""The text lists mmpart reads, parsed in one place, and the bundled files.

- image lists, ``<wnid>/<file> <label>`` a line (ImageNet's ``meta/*.txt``,
  the bundled val subsets), and the converter's split lists,
  ``<wnid>/<stem>`` a line (:func:`read_sample_keys`);
- wnid lists, one wnid a line (anything after it on the line is ignored);
- pseudo lists, ``<file> <0|1>`` a line (``whether_pseudo/<wnid>.txt``),
  which the converter and the pseudo labeller update by merging
  (:func:`update_pseudo_list`).

Every reader goes through mmengine's file I/O (``backend_args``), accepts
a bundled file as ``'mmpart::<file name>'`` and names ``file:line`` and
the line itself on a bad line. Blank lines are skipped. An entry whose
path, joined to its folder, would point outside it (absolute, or with a
``..``, ``.`` or empty part; see :func:`stays_in_folder`) is refused:
left out, logged and named to the caller, so no list makes a reader open
or a writer create a file outside its root.
"""
import logging
import os
import os.path as osp
from collections import Counter
from typing import Dict, List, Mapping, NamedTuple, Optional, Sequence, Union

from mmengine import fileio
from mmengine.logging import print_log

from mmpart.utils.atomic_io import atomic_write_bytes

#: Folder of the files shipped with mmpart.
META_DIR = osp.join(osp.dirname(osp.abspath(__file__)), 'meta')
#: Prefix naming a bundled file in configs, as ``mmpretrain::`` names
#: mmpretrain's configs.
BUNDLED_PREFIX = 'mmpart::'
#: The official ImageNet val subsets (``<wnid>/<file> <label>``): 10 images
#: per class for clean and robust accuracy, and the 5000 of AutoAttack.
VAL_SUBSET_10K = osp.join(META_DIR, 'imagenet_val_subset_10k.txt')
VAL_SUBSET_5K_AUTOATTACK = osp.join(META_DIR,
                                    'imagenet_val_subset_5k_autoattack.txt')
#: Refused entries named in the warning of one file.
MAX_REFUSED_NAMED = 5


def bundled_files() -> List[str]:
    """The names of the files in ``mmpart/datasets/meta``, sorted."""
    return sorted(name for name in os.listdir(META_DIR)
                  if osp.isfile(osp.join(META_DIR, name)))


def resolve_bundled(path):
    """Resolve ``'mmpart::<file name>'`` to the bundled file of that name.

    Datasets and metrics call it on each list, wnid or category file
    argument before mmengine joins relative paths with ``data_root``, so
    configs reach the bundled files without walking from a data root.

    Args:
        path: A path, a ``'mmpart::<file name>'`` string, or any other
            value (returned unchanged, e.g. None or a list of wnids).

    Returns:
        The absolute path of the bundled file, or ``path`` unchanged.

    Examples:
        >>> resolve_bundled('mmpart::imagenet_val_subset_10k.txt')
        '.../mmpart/datasets/meta/imagenet_val_subset_10k.txt'
        >>> resolve_bundled('meta/val.txt')
        'meta/val.txt'
    """
    if not isinstance(path, str) or not path.startswith(BUNDLED_PREFIX):
        return path
    name = path[len(BUNDLED_PREFIX):]
    known = bundled_files()
    if name not in known:
        raise FileNotFoundError(
            f'{path!r}: mmpart bundles no file {name!r}; bundled files: '
            f'{", ".join(BUNDLED_PREFIX + k for k in known)}')
    return osp.join(META_DIR, name)


def resolve_data_file(path: str, data_root: Optional[str] = None) -> str:
    """A file argument of a dataset: bundled, absolute, or relative to
    ``data_root``.

    For file arguments that mmengine does not join with ``data_root``
    itself (``ann_file`` and ``data_prefix`` it does).

    Args:
        path (str): The path or ``'mmpart::<file name>'``.
        data_root (str, optional): The dataset root.

    Returns:
        str: The bundled file, ``path`` if absolute, else ``path`` under
        ``data_root``.
    """
    path = resolve_bundled(path)
    if data_root and not osp.isabs(path):
        path = osp.join(data_root, path)
    return path


def stays_in_folder(path: str) -> bool:
    """Whether a listed path, joined to its folder, stays inside it.

    A path is refused when absolute or when any of its ``/``-separated
    parts is ``..``, ``.`` or empty: ``n01440764/../../x.JPEG`` leaves the
    class folder, and ``n01440764//tmp/x.JPEG`` names ``/tmp/x.JPEG`` once
    ``os.path.join`` ed. ``.`` and empty parts never point out by
    themselves but are refused too, so that one listed file has one
    spelling (the pseudo lists match names as written).

    Args:
        path (str): ``<wnid>/<file>`` of an image list or ``<file>`` of a
            pseudo list.

    Returns:
        bool: Whether the path is relative and made of plain names only.

    Examples:
        >>> stays_in_folder('n01440764/sub/a.JPEG')
        True
        >>> stays_in_folder('n01440764/../../../../tmp/x/evil.JPEG')
        False
    """
    return not osp.isabs(path) and all(
        part not in ('', '.', '..') for part in path.split('/'))


def _report_refused(path: str, refused_here: List[str],
                    refused: Optional[List[str]]) -> None:
    """Log the entries of one list refused by :func:`stays_in_folder` and
    add them to the caller's ``refused`` list (if any).

    Args:
        path (str): The list.
        refused_here (list[str]): ``'<file>:<line>: <entry>'`` of each.
        refused (list[str], optional): The caller's list of refused entries.
    """
    if not refused_here:
        return
    if refused is not None:
        refused.extend(refused_here)
    print_log(
        f'{path}: refused {len(refused_here)} entries that are absolute or '
        f'leave their folder: {refused_here[:MAX_REFUSED_NAMED]}'
        f'{" ..." if len(refused_here) > MAX_REFUSED_NAMED else ""}',
        logger='current',
        level=logging.WARNING)


def _lines(path: str, backend_args: Optional[dict]):
    """``(line number, line, fields)`` of the non-blank lines of a file."""
    text = fileio.get_text(path, backend_args=backend_args)
    for lineno, line in enumerate(text.splitlines(), start=1):
        fields = line.split()
        if fields:
            yield lineno, line, fields


class ImageListEntry(NamedTuple):
    """One line of an image list.

    Args:
        path (str): ``<wnid>/<file>`` as listed (the file may sit in
            subfolders).
        label (int, optional): The label; None where the line has none and
            none was asked for.
    """
    path: str
    label: Optional[int]

    @property
    def wnid(self) -> str:
        """The folder the image is listed under."""
        return self.path.split('/', 1)[0]

    @property
    def file_name(self) -> str:
        """The path under the wnid folder."""
        return self.path.split('/', 1)[1]


def read_image_list(path: str,
                    label_of: Optional[Mapping[str, int]] = None,
                    labels_optional: bool = False,
                    num_classes: Optional[int] = None,
                    backend_args: Optional[dict] = None,
                    refused: Optional[List[str]] = None
                    ) -> List[ImageListEntry]:
    """Read a list of ``<wnid>/<file> <label>`` lines.

    A line without a label takes ``label_of[wnid]`` when ``label_of`` is
    given (converter split lists, ``<wnid>/<stem>``, are labelled this
    way), is read with label None when ``labels_optional``, and is an error
    otherwise. A path that would leave its class folder (see
    :func:`stays_in_folder`) is refused: left out, logged and named in
    ``refused``.

    Args:
        path (str): The list, or ``'mmpart::<file name>'``.
        label_of (Mapping[str, int], optional): Labels by wnid for lines
            without one.
        labels_optional (bool): Accept lines without a label (label None).
            Defaults to False.
        num_classes (int, optional): Labels must be below it.
        backend_args (dict, optional): mmengine file backend arguments.
        refused (list[str], optional): Gets ``'<file>:<line>: <entry>'``
            of each refused entry, for the caller's report.

    Returns:
        list[ImageListEntry]: The entries in list order, the refused ones
        left out.

    Examples:
        >>> read_image_list('mmpart::imagenet_val_subset_10k.txt')[0]
        ImageListEntry(path='n01440764/ILSVRC2012_val_00009191.JPEG', label=0)
    """
    path = resolve_bundled(path)
    entries, refused_here = [], []
    for lineno, line, fields in _lines(path, backend_args):
        rel_path = fields[0]
        wnid, sep, file_name = rel_path.partition('/')
        if len(fields) > 2 or not sep or not wnid or not file_name or (
                len(fields) == 2 and not fields[1].isdigit()):
            raise ValueError(f'{path}:{lineno}: expected "<wnid>/<file> '
                             f'<label>", got {line!r}')
        if not stays_in_folder(rel_path):
            refused_here.append(f'{path}:{lineno}: {rel_path!r}')
            continue
        if len(fields) == 2:
            label = int(fields[1])
        elif label_of is not None:
            if wnid not in label_of:
                raise ValueError(f'{path}:{lineno}: {wnid} has no label (it '
                                 f'is not among the classes), in {line!r}')
            label = label_of[wnid]
        elif labels_optional:
            label = None
        else:
            raise ValueError(f'{path}:{lineno}: expected "<wnid>/<file> '
                             f'<label>", got {line!r} (no label)')
        if num_classes is not None and label is not None and \
                label >= num_classes:
            raise ValueError(f'{path}:{lineno}: label {label} is not below '
                             f'the {num_classes} classes, in {line!r}')
        entries.append(ImageListEntry(rel_path, label))
    _report_refused(path, refused_here, refused)
    return entries


def read_sample_keys(path: str,
                     backend_args: Optional[dict] = None,
                     refused: Optional[List[str]] = None) -> List[str]:
    """The ``<wnid>/<stem>`` keys of a split list (``splits/<name>.txt``).

    Tools that score or probe a split read it here: a list that names no
    image is an error naming the file (it would otherwise fail deep in the
    scoring with numpy's ``need at least one array to concatenate``).

    Args:
        path (str): The list, or ``'mmpart::<file name>'``; a label column
            is allowed and ignored.
        backend_args (dict, optional): mmengine file backend arguments.
        refused (list[str], optional): Gets the refused entries (see
            :func:`read_image_list`).

    Returns:
        list[str]: The keys in list order.
    """
    entries = read_image_list(path, labels_optional=True,
                              backend_args=backend_args, refused=refused)
    if not entries:
        raise ValueError(f'{resolve_bundled(path)}: the split list names no '
                         'image')
    return [entry.path for entry in entries]


def read_wnid_list(wnids: Union[str, Sequence[str]],
                   backend_args: Optional[dict] = None) -> List[str]:
    """A wnid list from a file (a wnid first on each line) or a sequence.

    Args:
        wnids (str | Sequence[str]): The file (or ``'mmpart::<file
            name>'``) or the wnids.
        backend_args (dict, optional): mmengine file backend arguments.

    Returns:
        list[str]: The wnids in their order; a repeated one is an error.
    """
    if isinstance(wnids, str):
        path = resolve_bundled(wnids)
        seen: Dict[str, int] = {}
        for lineno, line, fields in _lines(path, backend_args):
            if fields[0] in seen:
                raise ValueError(f'{path}:{lineno}: {fields[0]} repeated '
                                 f'(first on line {seen[fields[0]]})')
            seen[fields[0]] = lineno
        return list(seen)
    wnids = list(wnids)
    repeated = sorted(w for w, n in Counter(wnids).items() if n > 1)
    if repeated:
        raise ValueError(f'repeated wnids in the list: {repeated}')
    return wnids


def read_pseudo_flags(path: str,
                      backend_args: Optional[dict] = None,
                      missing_ok: bool = False,
                      refused: Optional[List[str]] = None) -> Dict[str, bool]:
    """Read a pseudo list, ``<file> <0|1>`` a line (1 = pseudo label).

    A file name that would leave the class folder (see
    :func:`stays_in_folder`) is refused: left out, logged and named in
    ``refused``.

    Args:
        path (str): The list (``whether_pseudo/<wnid>.txt``).
        backend_args (dict, optional): mmengine file backend arguments.
        missing_ok (bool): Read a missing list as empty (a class without
            converted or labelled images). Defaults to False.
        refused (list[str], optional): Gets ``'<file>:<line>: <entry>'``
            of each refused entry, for the caller's report.

    Returns:
        dict[str, bool]: Whether each listed file's map is a pseudo label.
    """
    flags, refused_here = {}, []
    if missing_ok and not fileio.exists(path, backend_args=backend_args):
        return flags
    for lineno, line, fields in _lines(path, backend_args):
        if len(fields) != 2 or fields[1] not in ('0', '1'):
            raise ValueError(f'{path}:{lineno}: expected "<file> <0|1>", '
                             f'got {line!r}')
        if not stays_in_folder(fields[0]):
            refused_here.append(f'{path}:{lineno}: {fields[0]!r}')
            continue
        flags[fields[0]] = fields[1] == '1'
    _report_refused(path, refused_here, refused)
    return flags


def format_pseudo_flags(flags: Mapping[str, bool]) -> str:
    """The text of a pseudo list that :func:`read_pseudo_flags` reads back.

    Args:
        flags (Mapping[str, bool]): Whether each file's map is pseudo, in
            the order to write.

    Returns:
        str: One ``<file> <0|1>`` line per file.
    """
    return ''.join(f'{name} {int(is_pseudo)}\n'
                   for name, is_pseudo in flags.items())


def merge_pseudo_flags(current: Mapping[str, bool],
                       updates: Mapping[str, bool]) -> Dict[str, bool]:
    """Merge pseudo flags, files sorted by name; a human map always wins.

    The converter adds human maps (``0``) and the pseudo labeller adds
    pseudo ones (``1``) to the same lists, in any order and any number of
    times: a file is pseudo only if neither side says it is human, so a
    pseudo label never demotes a human annotation and a human annotation
    made later replaces a pseudo label.

    Args:
        current (Mapping[str, bool]): The list as it is.
        updates (Mapping[str, bool]): The flags to add.

    Returns:
        dict[str, bool]: The merged flags in file-name order.
    """
    return {name: current.get(name, True) and updates.get(name, True)
            for name in sorted(set(current) | set(updates))}


def update_pseudo_list(path: str, updates: Mapping[str, bool]) -> bool:
    """Merge flags into a pseudo list on disk (atomically), creating it if
    missing (see :func:`merge_pseudo_flags`).

    Args:
        path (str): The list (``whether_pseudo/<wnid>.txt``), a local file.
        updates (Mapping[str, bool]): The flags to add.

    Returns:
        bool: Whether the file changed.
    """
    current = read_pseudo_flags(path, missing_ok=True)
    merged = merge_pseudo_flags(current, updates)
    if osp.exists(path) and list(merged.items()) == list(current.items()):
        return False
    atomic_write_bytes(path, format_pseudo_flags(merged).encode())
    return True
