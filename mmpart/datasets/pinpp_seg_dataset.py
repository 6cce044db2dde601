# Copyright (c) mmpart contributors. All rights reserved.
import os.path as osp
from typing import Optional

import numpy as np
from mmseg.datasets import BaseSegDataset

from mmpart.registry import DATASETS
from .label_space import part_class_names, read_label_space

#: Ignore value for 16-bit id maps: part ids reach 3310, past mmseg's 255.
PART_IGNORE_INDEX = 65535


def _palette(num_classes: int, seed: int = 0) -> list:
    """A fixed random palette, black for the background."""
    colours = np.random.default_rng(seed).integers(
        40, 256, size=(num_classes, 3))
    colours[0] = 0
    return colours.tolist()


class _PINPPSegDataset(BaseSegDataset):
    """Segmentation on processed PIN++ (see the two registered subclasses).

    Layout under ``data_root``: ``img/<wnid>/<stem>.JPEG``, maps under
    ``data_prefix['seg_map_path']``, lists ``splits/<split>.txt`` of
    ``<wnid>/<stem>`` and ``label_space.tsv``, as the converter writes them.
    Each sample also carries ``object_label``, the index of its wnid among
    the label space's objects (for class-aware evaluation).

    Args:
        label_space (str): Label-space file, relative to ``data_root``.
        ann_file (str): Split list. Defaults to ``'splits/train.txt'``.
        data_prefix (dict): Image and map folders.
        img_suffix (str): Defaults to ``'.JPEG'``.
        seg_map_suffix (str): Defaults to ``'.png'``.
        ignore_index (int): Defaults to :data:`PART_IGNORE_INDEX`.
        **kwargs: Other ``BaseSegDataset`` arguments.
    """
    target = ''

    def __init__(self,
                 label_space: str = 'label_space.tsv',
                 ann_file: str = 'splits/train.txt',
                 data_prefix: Optional[dict] = None,
                 img_suffix: str = '.JPEG',
                 seg_map_suffix: str = '.png',
                 ignore_index: int = PART_IGNORE_INDEX,
                 data_root: Optional[str] = None,
                 metainfo: Optional[dict] = None,
                 **kwargs):
        path = label_space
        if data_root and not osp.isabs(path):
            path = osp.join(data_root, path)
        self.label_space = read_label_space(path)
        self.wnids = list(
            dict.fromkeys(r['wnid'] for r in self.label_space[1:]))
        classes = self._class_names()
        meta = dict(classes=classes, palette=_palette(len(classes)))
        meta.update(metainfo or {})
        super().__init__(
            ann_file=ann_file,
            data_prefix=data_prefix or dict(
                img_path='img', seg_map_path=self.target),
            img_suffix=img_suffix,
            seg_map_suffix=seg_map_suffix,
            ignore_index=ignore_index,
            data_root=data_root,
            metainfo=meta,
            **kwargs)

    def _class_names(self) -> tuple:
        raise NotImplementedError

    def load_data_list(self) -> list:
        """Read the split list; add each sample's ``object_label``."""
        data_list = super().load_data_list()
        index = {wnid: i for i, wnid in enumerate(self.wnids)}
        for info in data_list:
            wnid = osp.basename(osp.dirname(info['img_path']))
            if wnid not in index:
                raise ValueError(f'{info["img_path"]}: wnid {wnid} is not in '
                                 'the label space')
            info['object_label'] = index[wnid]
        return data_list


@DATASETS.register_module()
class PINPPPartSegDataset(_PINPPSegDataset):
    """PIN++ part segmentation: background + every part (3311 classes with
    the official table), names ``'<object>/<part>'``, maps from ``seg/``."""
    target = 'seg'

    def _class_names(self) -> tuple:
        return part_class_names(self.label_space)


@DATASETS.register_module()
class PINPPObjectSegDataset(_PINPPSegDataset):
    """PIN++ object segmentation: background + every object (1001 classes
    with the official table), maps from ``obj/`` (converter
    ``--object-masks``)."""
    target = 'obj'

    def _class_names(self) -> tuple:
        names = {r['wnid']: r['object'] for r in self.label_space[1:]}
        return ('background', ) + tuple(names[w] for w in self.wnids)
