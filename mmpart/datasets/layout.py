# Copyright (c) mmpart contributors. All rights reserved.
"""The processed PIN++ layout, written by the converter and read by the
datasets and tools::

    <root>/img/<wnid>/<stem>.JPEG            images (a link to ImageNet train)
    <root>/seg/<wnid>/<stem>.png             16-bit global part ids
    <root>/obj/<wnid>/<stem>.png             16-bit object ids
    <root>/whether_pseudo/<wnid>.txt         "<stem>.JPEG <0|1>", 1 = pseudo
    <root>/splits/<train|val|test>.txt       "<wnid>/<stem>" lines
    <root>/annotations/instances_<split>.json  COCO instances (mmdet)
    <root>/annotations/Pin++_<split>.json      LVIS-format instances, named
                                             as the official benchmark's
    <root>/label_space.tsv                   id, wnid, object, part, parent
    <root>/conversion_report.json            what the converter did
    <root>/pseudo_label_report.json          what the pseudo labeller did
    <root>/pseudo_label_records/             its per-image records

The names are defined here once; everything else takes them from here.
"""
import os.path as osp
import re
from typing import Tuple

# The maps' ignore value is a convention of the maps, not of the folders;
# it is re-exported here for the datasets that import it with the layout.
from mmpart.structures.part_maps import MAP_IGNORE_INDEX  # noqa: F401

#: Folder of the images, ``<wnid>/<stem>.JPEG`` (ImageNet train).
IMG_DIR = 'img'
#: Folder of the part maps.
SEG_DIR = 'seg'
#: Folder of the object maps.
OBJ_DIR = 'obj'
#: Folder of the per-class lists of which maps are pseudo labels.
PSEUDO_DIR = 'whether_pseudo'
#: Folder of the split lists.
SPLITS_DIR = 'splits'
#: The split lists the converter writes.
SPLIT_NAMES = ('train', 'val', 'test')
#: Folder of the COCO instance files.
ANNOTATIONS_DIR = 'annotations'
#: Name prefix of the LVIS-format instance files (``Pin++_<split>.json``,
#: as the official benchmark's; its part-only and object-only variants are
#: ``Pin++Part_<split>.json`` and ``Pin++Object_<split>.json``).
LVIS_FILE_PREFIX = 'Pin++'
#: The label-space file.
LABEL_SPACE_FILE = 'label_space.tsv'
#: The converter's report.
REPORT_FILE = 'conversion_report.json'
#: The pseudo labeller's report.
PSEUDO_LABEL_REPORT_FILE = 'pseudo_label_report.json'
#: The pseudo labeller's per-image records (and the settings they were
#: made with), which make its reruns resume.
PSEUDO_LABEL_RECORDS_DIR = 'pseudo_label_records'
#: Suffix of the images (ImageNet's).
IMG_SUFFIX = '.JPEG'
#: Suffix of the part and object maps.
MAP_SUFFIX = '.png'
#: Suffix of the pseudo lists and the split lists.
LIST_SUFFIX = '.txt'
#: A wnid is a safe folder name: ImageNet's (``n`` + 8 digits) or any
#: letters, digits, ``_`` and ``-`` (as the toy and test tables use), so it
#: can neither leave the folder it names a subfolder of nor hide in it.
WNID_PATTERN = re.compile(r'n\d{8}|[A-Za-z0-9_][A-Za-z0-9_-]*')


def check_wnid(wnid: str, where: str) -> str:
    """Refuse a wnid that is not a safe folder name (:data:`WNID_PATTERN`).

    Wnids name folders of the release, of ImageNet and of the output, so a
    wnid such as ``../../x`` would read and write outside them.

    Args:
        wnid (str): The wnid.
        where (str): Where it was read (``<file>:<line>``), for the error.

    Returns:
        str: The wnid.
    """
    if not WNID_PATTERN.fullmatch(wnid):
        raise ValueError(f'{where}: {wnid!r} is not a wnid (n + 8 digits, '
                         'or letters, digits, "_" and "-")')
    return wnid


def sample_key(wnid: str, stem: str) -> str:
    """The name of a sample in split lists and reports, ``<wnid>/<stem>``.

    Args:
        wnid (str): Its class.
        stem (str): Its image file name without the suffix.

    Returns:
        str: The key.
    """
    return f'{wnid}/{stem}'


def split_sample_key(key: str) -> Tuple[str, str]:
    """``(wnid, stem)`` of a ``<wnid>/<stem>`` key.

    Args:
        key (str): The key.

    Returns:
        tuple[str, str]: The wnid and the stem.
    """
    wnid, sep, stem = key.partition('/')
    if not sep or not wnid or not stem:
        raise ValueError(f'expected a "<wnid>/<stem>" key, got {key!r}')
    return wnid, stem


class PINPPLayout:
    """Paths of the processed layout under one root.

    With the default ``root=''`` the paths are relative, as dataset
    arguments under a ``data_root`` are.

    Args:
        root (str): The processed root. Defaults to ``''``.
        img_dir (str): Image folder under the root. Defaults to
            :data:`IMG_DIR`.

    Examples:
        >>> layout = PINPPLayout('data/pinpp')
        >>> layout.seg_map('n01440764', 'n01440764_10026')
        'data/pinpp/seg/n01440764/n01440764_10026.png'
        >>> PINPPLayout().split_list('val')
        'splits/val.txt'
    """

    def __init__(self, root: str = '', img_dir: str = IMG_DIR):
        self.root = root
        self.img_dir = img_dir

    def _path(self, folder: str, *names: str) -> str:
        """``<root>/<folder>/<names...>``; each name (a wnid, a stem or a
        split, which come from files) must be one path component, so the
        path stays under ``folder``."""
        for name in names:
            if name in ('', '.', '..') or '/' in name or '\\' in name or \
                    '\0' in name:
                raise ValueError(
                    f'{name!r} is not a file or folder name: the path would '
                    f'leave {osp.join(self.root, folder)}')
        return osp.join(self.root, folder, *names)

    @property
    def image_dir(self) -> str:
        """``<root>/img``, the images' folder."""
        return self._path(self.img_dir)

    @property
    def map_dirs(self) -> Tuple[str, str]:
        """``<root>/seg`` and ``<root>/obj``, the folders of the maps."""
        return self._path(SEG_DIR), self._path(OBJ_DIR)

    def image(self, wnid: str, stem: str) -> str:
        """``<root>/img/<wnid>/<stem>.JPEG``."""
        return self._path(self.img_dir, wnid, stem + IMG_SUFFIX)

    def seg_map(self, wnid: str, stem: str) -> str:
        """``<root>/seg/<wnid>/<stem>.png``, the part map."""
        return self._path(SEG_DIR, wnid, stem + MAP_SUFFIX)

    def obj_map(self, wnid: str, stem: str) -> str:
        """``<root>/obj/<wnid>/<stem>.png``, the object map."""
        return self._path(OBJ_DIR, wnid, stem + MAP_SUFFIX)

    def pseudo_list(self, wnid: str) -> str:
        """``<root>/whether_pseudo/<wnid>.txt``."""
        return self._path(PSEUDO_DIR, wnid + LIST_SUFFIX)

    def split_list(self, name: str) -> str:
        """``<root>/splits/<name>.txt``."""
        return self._path(SPLITS_DIR, name + LIST_SUFFIX)

    def instance_file(self, split: str) -> str:
        """``<root>/annotations/instances_<split>.json``."""
        return self._path(ANNOTATIONS_DIR, f'instances_{split}.json')

    def lvis_instance_file(self, split: str) -> str:
        """``<root>/annotations/Pin++_<split>.json``, the LVIS-format
        instances (the official benchmark files' name, so a config reads
        either those or the converter's)."""
        return self._path(ANNOTATIONS_DIR, f'{LVIS_FILE_PREFIX}_{split}.json')

    @property
    def label_space(self) -> str:
        """``<root>/label_space.tsv``."""
        return self._path(LABEL_SPACE_FILE)

    @property
    def report(self) -> str:
        """``<root>/conversion_report.json``."""
        return self._path(REPORT_FILE)

    @property
    def pseudo_label_report(self) -> str:
        """``<root>/pseudo_label_report.json``."""
        return self._path(PSEUDO_LABEL_REPORT_FILE)

    @property
    def pseudo_label_records(self) -> str:
        """``<root>/pseudo_label_records``."""
        return self._path(PSEUDO_LABEL_RECORDS_DIR)

    def __repr__(self) -> str:
        return f'{type(self).__name__}(root={self.root!r}, ' \
               f'img_dir={self.img_dir!r})'
