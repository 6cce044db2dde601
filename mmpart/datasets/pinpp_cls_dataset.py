# Copyright (c) mmpart contributors. All rights reserved.
import os.path as osp
from typing import Dict, Mapping, Optional

from mmpart.registry import DATASETS
from .imagenet_list_dataset import ImageNetListDataset
from .label_space import LabelSpace
from .layout import (IMG_DIR, IMG_SUFFIX, LIST_SUFFIX, MAP_SUFFIX, PSEUDO_DIR,
                     SEG_DIR)
from .lists import ImageListEntry, read_pseudo_flags, resolve_data_file


@DATASETS.register_module()
class PINPPClsDataset(ImageNetListDataset):
    """ImageNet classification with PIN++ part maps (processed layout).

    Reads what :class:`ImageNetListDataset` reads (an ImageNet train list,
    or a bundled val subset as ``'mmpart::<file name>'``), or, with a label
    space, a converter split list of ``<wnid>/<stem>`` lines (label: the
    wnid's object label, image ``<stem>.JPEG``). A sample has a part map
    when ``whether_pseudo/<wnid>.txt`` lists its file (``<file> <0|1>``,
    1 = pseudo label); the map is ``seg/<wnid>/<stem>.png``.

    Each data info holds ``img_path``, ``gt_label``, ``seg_map_path`` (None
    without a map) and ``part_map_is_pseudo`` (None without a map).

    Pseudo maps (made by ``tools/pseudo_label.py`` for the images without
    human masks; their low-confidence pixels are
    :data:`~mmpart.datasets.layout.MAP_IGNORE_INDEX`) are attached only with
    ``pseudo_maps``: without it, a sample listed with ``1`` has no map, as
    an unlisted one, so a config trains on the human masks alone from a
    root that also holds pseudo labels.

    Args:
        ann_file (str): The list (relative to ``data_root`` unless
            absolute, or ``'mmpart::<file name>'``).
        data_root (str): The processed root.
        data_prefix (dict | str): ``img_path`` (default ``'img'``),
            ``seg_map_path`` (``'seg'``; ``'obj'`` for object maps) and
            ``pseudo_path`` (``'whether_pseudo'``) under ``data_root``.
        label_space (str, optional): Label-space file (relative to
            ``data_root`` unless absolute); the classes are its objects in
            object order and ``part_classes`` its part classes. Without it,
            ``classes`` or ``metainfo`` name the classes (default: the
            ImageNet-1K ones), as in mmpretrain.
        pseudo_maps (bool): Attach the maps listed as pseudo labels.
            Defaults to True.
        **kwargs: Other :class:`ImageNetListDataset` arguments.
    """

    def __init__(self,
                 ann_file: str,
                 data_root: str = '',
                 data_prefix: Optional[dict] = None,
                 label_space: Optional[str] = None,
                 metainfo: Optional[dict] = None,
                 pseudo_maps: bool = True,
                 **kwargs):
        prefix = dict(
            img_path=IMG_DIR, seg_map_path=SEG_DIR, pseudo_path=PSEUDO_DIR)
        if isinstance(data_prefix, str):
            data_prefix = dict(img_path=data_prefix)
        prefix.update(data_prefix or {})
        self.pseudo_maps = pseudo_maps
        self.label_space: Optional[LabelSpace] = None
        if label_space is not None:
            self.label_space = LabelSpace.from_file(
                resolve_data_file(label_space, data_root),
                kwargs.get('backend_args'))
            metainfo = dict(
                classes=self.label_space.object_names,
                part_classes=self.label_space.part_names,
                **(metainfo or {}))
        super().__init__(
            ann_file=ann_file,
            data_root=data_root,
            data_prefix=prefix,
            metainfo=metainfo,
            **kwargs)

    def labels_by_wnid(self) -> Optional[Mapping[str, int]]:
        """With a label space, split-list lines (no label) are labelled by
        their wnid's object label."""
        return self.label_space.object_label if self.label_space else None

    def _pseudo_flags(self, wnid: str) -> Dict[str, bool]:
        """``{file name: is pseudo}`` of a class (read once)."""
        if wnid not in self._flags_by_wnid:
            path = osp.join(self.data_prefix['pseudo_path'],
                            wnid + LIST_SUFFIX)
            self._flags_by_wnid[wnid] = read_pseudo_flags(
                path, self.backend_args, missing_ok=True)
        return self._flags_by_wnid[wnid]

    def parse_data_info(self, entry: ImageListEntry) -> dict:
        """The data info of one entry, with its part map where listed.

        Args:
            entry (ImageListEntry): The parsed line.

        Returns:
            dict: ``img_path``, ``gt_label``, ``seg_map_path`` and
            ``part_map_is_pseudo`` (both None without a map, or for a pseudo
            map without ``pseudo_maps``).
        """
        stem, suffix = osp.splitext(entry.file_name)
        if not suffix:
            # A converter split list names the sample, not its image file.
            entry = entry._replace(path=entry.path + IMG_SUFFIX)
        info = super().parse_data_info(entry)
        is_pseudo = self._pseudo_flags(entry.wnid).get(entry.file_name)
        if is_pseudo and not self.pseudo_maps:
            is_pseudo = None
        info['part_map_is_pseudo'] = is_pseudo
        info['seg_map_path'] = None if is_pseudo is None else osp.join(
            self.data_prefix['seg_map_path'], entry.wnid, stem + MAP_SUFFIX)
        return info

    def load_data_list(self) -> list:
        """Read the list and attach the part maps."""
        self._flags_by_wnid: Dict[str, Dict[str, bool]] = {}
        data_list = super().load_data_list()
        del self._flags_by_wnid
        return data_list
