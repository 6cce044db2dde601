# Copyright (c) mmpart contributors. All rights reserved.
import os.path as osp
from abc import ABCMeta, abstractmethod
from typing import Optional

from mmseg.datasets import BaseSegDataset

from mmpart.registry import DATASETS
from mmpart.visualization import random_palette
from .label_space import LabelSpace
from .layout import (IMG_DIR, IMG_SUFFIX, LABEL_SPACE_FILE, MAP_IGNORE_INDEX,
                     MAP_SUFFIX, OBJ_DIR, SEG_DIR, PINPPLayout)
from .lists import resolve_bundled, resolve_data_file


class _PINPPSegDataset(BaseSegDataset, metaclass=ABCMeta):
    """Segmentation on processed PIN++ (see the two registered subclasses).

    Reads the converter's layout under ``data_root``: images
    ``img/<wnid>/<stem>.JPEG``, maps under ``data_prefix['seg_map_path']``,
    split lists ``splits/<split>.txt`` of ``<wnid>/<stem>`` and the label
    space. Each sample also carries ``object_label``, its wnid's object
    label (for class-aware evaluation), and what :meth:`sample_info` adds.

    Args:
        label_space (str): Label-space file, relative to ``data_root``
            unless absolute. Defaults to ``'label_space.tsv'``.
        ann_file (str): Split list. Defaults to ``'splits/train.txt'``.
        data_prefix (dict): Image and map folders. Defaults to ``img`` and
            the subclass's map folder.
        img_suffix (str): Defaults to ``'.JPEG'``.
        seg_map_suffix (str): Defaults to ``'.png'``.
        ignore_index (int): Defaults to 65535 (``MAP_IGNORE_INDEX``): part
            ids pass mmseg's usual 255.
        **kwargs: Other ``BaseSegDataset`` arguments.
    """
    #: The map folder under ``data_root``.
    map_dir = ''

    def __init__(self,
                 label_space: str = LABEL_SPACE_FILE,
                 ann_file: str = PINPPLayout().split_list('train'),
                 data_prefix: Optional[dict] = None,
                 img_suffix: str = IMG_SUFFIX,
                 seg_map_suffix: str = MAP_SUFFIX,
                 ignore_index: int = MAP_IGNORE_INDEX,
                 data_root: Optional[str] = None,
                 metainfo: Optional[dict] = None,
                 **kwargs):
        self.label_space = LabelSpace.from_file(
            resolve_data_file(label_space, data_root),
            kwargs.get('backend_args'))
        meta = self.label_space_metainfo(self.label_space)
        meta['palette'] = random_palette(len(meta['classes']))
        meta.update(metainfo or {})
        super().__init__(
            ann_file=resolve_bundled(ann_file),
            data_prefix=data_prefix
            or dict(img_path=IMG_DIR, seg_map_path=self.map_dir),
            img_suffix=img_suffix,
            seg_map_suffix=seg_map_suffix,
            ignore_index=ignore_index,
            data_root=data_root,
            metainfo=meta,
            **kwargs)

    @staticmethod
    @abstractmethod
    def label_space_metainfo(label_space: LabelSpace) -> dict:
        """The metainfo a label space gives (``palette`` is added to it).

        Args:
            label_space (LabelSpace): The dataset's label space.

        Returns:
            dict: At least ``classes``, the segmentation classes.
        """

    def sample_info(self, wnid: str) -> dict:
        """What a sample of class ``wnid`` carries besides mmseg's fields.

        Args:
            wnid (str): The sample's class, in the label space.

        Returns:
            dict: ``object_label``, the wnid's object label.
        """
        return dict(object_label=self.label_space.object_label[wnid])

    def load_data_list(self) -> list:
        """Read the split list; add each sample's :meth:`sample_info`."""
        data_list = super().load_data_list()
        for info in data_list:
            wnid = osp.basename(osp.dirname(info['img_path']))
            if wnid not in self.label_space.object_label:
                raise ValueError(f'{self.ann_file}: {info["img_path"]} is '
                                 f'of wnid {wnid}, which is not in the label'
                                 ' space')
            info.update(self.sample_info(wnid))
        return data_list


@DATASETS.register_module()
class PINPPPartSegDataset(_PINPPSegDataset):
    """PIN++ part segmentation: background + every part (3311 classes with
    the official table), names ``'<object>/<part>'``, maps from ``seg/``.

    Each sample also carries ``part_id_range = (start, stop)``, the global
    part ids of its object (``PartEncoderDecoder`` restricts its
    class-aware prediction to them and the background). The metainfo also
    holds ``part_objects``, the object label of each part class (-1 for
    the background), and ``objects``, the object names, so that
    ``PartSegMetric`` can group the part IoUs by object.

    Examples:
        >>> dataset = PINPPPartSegDataset(data_root='data/pinpp',
        ...                               ann_file='splits/val.txt')
        >>> dataset.metainfo['part_objects'][:3]  # tench has 4 parts
        (-1, 0, 0)
        >>> dataset.get_data_info(0)['part_id_range']  # a tench image
        (1, 5)
    """
    map_dir = SEG_DIR

    @staticmethod
    def label_space_metainfo(label_space: LabelSpace) -> dict:
        """``classes``: the part classes, ``'background'`` first;
        ``part_objects``: the object label of each (-1 for the background);
        ``objects``: the object names in label order."""
        part_objects = (-1, ) + tuple(
            label_space.object_label[row['wnid']]
            for row in label_space.rows[1:])
        return dict(
            classes=label_space.part_names,
            part_objects=part_objects,
            objects=label_space.object_names)

    def sample_info(self, wnid: str) -> dict:
        """``object_label`` and ``part_id_range``, the half-open range of
        global part ids of the class.

        Args:
            wnid (str): The sample's class.

        Returns:
            dict: ``object_label`` and ``part_id_range = (start, stop)``.
        """
        return dict(
            super().sample_info(wnid),
            part_id_range=self.label_space.part_id_range(wnid))


@DATASETS.register_module()
class PINPPObjectSegDataset(_PINPPSegDataset):
    """PIN++ object segmentation: background + every object (1001 classes
    with the official table), maps from ``obj/`` (converter
    ``--object-masks``)."""
    map_dir = OBJ_DIR

    @staticmethod
    def label_space_metainfo(label_space: LabelSpace) -> dict:
        """``classes``: the object classes, ``'background'`` first."""
        return dict(classes=label_space.object_class_names)
