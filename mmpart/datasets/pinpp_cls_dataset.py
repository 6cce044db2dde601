# Copyright (c) mmpart contributors. All rights reserved.
import os.path as osp
from typing import Dict, List, Optional

from mmengine import fileio
from mmpretrain.datasets import BaseDataset

from mmpart.registry import DATASETS
from .label_space import part_class_names, read_label_space


@DATASETS.register_module()
class PINPPClsDataset(BaseDataset):
    """ImageNet classification with PIN++ part maps (processed layout).

    Reads a list of ``<wnid>/<file> <label>`` lines (an ImageNet train list,
    or the val subsets in ``mmpart/datasets/meta``), or, with a label space,
    a converter split list of ``<wnid>/<stem>`` lines (label: the wnid's
    index among the label space's objects). A sample has a part map
    when ``whether_pseudo/<wnid>.txt`` lists its file (``<file> <0|1>``,
    1 = pseudo label); the map is ``seg/<wnid>/<stem>.png``.

    Each data info holds ``img_path``, ``gt_label``, ``seg_map_path`` (None
    without a map) and ``part_map_is_pseudo`` (None without a map).

    Args:
        ann_file (str): The list file (relative to ``data_root`` unless
            absolute).
        data_root (str): The processed root.
        data_prefix (dict | str): ``img_path`` (default ``'img'``),
            ``seg_map_path`` (``'seg'``) and ``pseudo_path``
            (``'whether_pseudo'``) under ``data_root``.
        label_space (str, optional): Label-space file; class names are its
            objects in wnid order and ``part_classes`` its parts. Without it, ``metainfo`` or ``classes``
            name the classes (mmpretrain's usual way).
        **kwargs: Other mmpretrain ``BaseDataset`` arguments.
    """

    def __init__(self,
                 ann_file: str,
                 data_root: str = '',
                 data_prefix: Optional[dict] = None,
                 label_space: Optional[str] = None,
                 metainfo: Optional[dict] = None,
                 **kwargs):
        self.wnids: List[str] = []
        prefix = dict(img_path='img', seg_map_path='seg',
                      pseudo_path='whether_pseudo')
        prefix.update(data_prefix or {})
        if label_space is not None:
            path = label_space
            if data_root and not osp.isabs(path):
                path = osp.join(data_root, path)
            rows = read_label_space(path)
            objects = {}
            for row in rows[1:]:
                objects.setdefault(row['wnid'], row['object'])
            self.wnids = list(objects)
            metainfo = dict(
                classes=tuple(objects.values()),
                part_classes=part_class_names(rows),
                **(metainfo or {}))
        super().__init__(
            ann_file=ann_file,
            data_root=data_root,
            data_prefix=prefix,
            metainfo=metainfo,
            **kwargs)

    def _read_pseudo_flags(self, wnid: str) -> Dict[str, bool]:
        """``{file name: is pseudo}`` from ``whether_pseudo/<wnid>.txt``."""
        path = osp.join(self.data_prefix['pseudo_path'], f'{wnid}.txt')
        if not fileio.exists(path):
            return {}
        flags = {}
        for lineno, line in enumerate(
                fileio.get_text(path).splitlines(), start=1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) != 2 or fields[1] not in ('0', '1'):
                raise ValueError(f'{path}:{lineno}: expected "<file> <0|1>",'
                                 f' got {line!r}')
            flags[fields[0]] = fields[1] == '1'
        return flags

    def load_data_list(self) -> List[dict]:
        """Parse the list and attach part maps where they exist."""
        flags_by_wnid: Dict[str, Dict[str, bool]] = {}
        label_of = {wnid: label for label, wnid in enumerate(self.wnids)}
        data_list = []
        for lineno, line in enumerate(
                fileio.get_text(self.ann_file).splitlines(), start=1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) == 1 and self.wnids and '/' in fields[0]:
                # A converter split list: "<wnid>/<stem>", label by wnid.
                wnid = fields[0].split('/', 1)[0]
                if wnid not in label_of:
                    raise ValueError(f'{self.ann_file}:{lineno}: {wnid} is '
                                     'not in the label space')
                fields = [f'{fields[0]}.JPEG', str(label_of[wnid])]
            if len(fields) != 2 or '/' not in fields[0] or \
                    not fields[1].lstrip('-').isdigit():
                raise ValueError(f'{self.ann_file}:{lineno}: expected '
                                 f'"<wnid>/<file> <label>", got {line!r}')
            rel_path, label = fields[0], int(fields[1])
            wnid, file_name = rel_path.split('/', 1)
            if wnid not in flags_by_wnid:
                flags_by_wnid[wnid] = self._read_pseudo_flags(wnid)
            is_pseudo = flags_by_wnid[wnid].get(file_name)
            seg_map_path = None
            if is_pseudo is not None:
                stem = osp.splitext(file_name)[0]
                seg_map_path = osp.join(self.data_prefix['seg_map_path'],
                                        wnid, f'{stem}.png')
            data_list.append(
                dict(
                    img_path=osp.join(self.data_prefix['img_path'],
                                      rel_path),
                    gt_label=label,
                    seg_map_path=seg_map_path,
                    part_map_is_pseudo=is_pseudo))
        return data_list
