# Copyright (c) mmpart contributors. All rights reserved.
import os.path as osp
from typing import List, Optional

from mmengine.logging import MMLogger
from mmpretrain.datasets import BaseDataset

from mmpart.registry import DATASETS
from .class_split import (CLASS_SPLIT_SIDES, DEFAULT_CLASS_SPLIT,
                          read_class_split)
from .label_space import LabelSpace
from .layout import LABEL_SPACE_FILE, PINPPLayout
from .lists import read_pseudo_flags, resolve_data_file


@DATASETS.register_module()
class PINPPFewShotDataset(BaseDataset):
    """The PIN++ images of one side of a few-shot class split.

    The classes are split into base (pre-training and meta-training), val
    (model selection) and novel (the episodes of the benchmark) sides by a
    class-split file (``mmpart.datasets.class_split``; the bundled default
    is the seeded 900 / 50 / 50 split of the 1000 classes). A side's
    samples are every human-annotated image of its classes in the processed
    layout (listed with ``0`` in ``whether_pseudo/<wnid>.txt``), with its
    part map, so that part-supervised pre-training and the object box of
    the part-aware models (``StackObjectCrop``) have one. Labels number the
    side's classes in sorted-wnid order.

    A class of the side without any image in the root is kept (its label
    stays reserved) and counted in a warning; episodes only draw classes
    with enough images.

    Args:
        side (str): ``'base'``, ``'val'`` or ``'novel'``.
        class_split (str): Class-split file, bundled
            (``'mmpart::<name>'``), absolute or relative to ``data_root``.
            Defaults to the bundled 900 / 50 / 50 split.
        label_space (str): Label-space file, relative to ``data_root``
            unless absolute. Defaults to ``'label_space.tsv'``.
        data_root (str): The processed PIN++ root.
        **kwargs: Other mmpretrain ``BaseDataset`` arguments
            (``pipeline``, ``test_mode``, ...).

    Raises:
        ValueError: ``side`` is not a side, or a class of the split is not
            in the label space (a split of another label space).
    """

    def __init__(self,
                 side: str,
                 class_split: str = DEFAULT_CLASS_SPLIT,
                 label_space: str = LABEL_SPACE_FILE,
                 data_root: str = '',
                 metainfo: Optional[dict] = None,
                 **kwargs):
        if side not in CLASS_SPLIT_SIDES:
            raise ValueError(f'side must be one of {CLASS_SPLIT_SIDES}, got '
                             f'{side!r}')
        self.side = side
        split_path = resolve_data_file(class_split, data_root)
        self.wnids = list(read_class_split(split_path)[side])
        space = LabelSpace.from_file(
            resolve_data_file(label_space, data_root))
        unknown = [w for w in self.wnids if w not in space.object_label]
        if unknown:
            raise ValueError(
                f'{split_path}: {len(unknown)} {side} classes are not in the '
                f'label space of {data_root} (e.g. {unknown[:3]}): a split '
                'of another label space')
        meta = dict(
            classes=[
                space.object_names[space.object_label[w]] for w in self.wnids
            ],
            wnids=self.wnids,
            side=side)
        meta.update(metainfo or {})
        super().__init__(
            ann_file='', data_root=data_root, metainfo=meta, **kwargs)

    def load_data_list(self) -> List[dict]:
        """Every human-annotated image of the side's classes.

        Returns:
            list[dict]: ``img_path``, ``seg_map_path`` and ``gt_label`` of
            each sample, class by class, files in sorted order.
        """
        layout = PINPPLayout(self.data_root)
        samples, empty = [], []
        for label, wnid in enumerate(self.wnids):
            flags = read_pseudo_flags(
                layout.pseudo_list(wnid), missing_ok=True)
            files = sorted(f for f, pseudo in flags.items() if not pseudo)
            if not files:
                empty.append(wnid)
            for file_name in files:
                stem = osp.splitext(file_name)[0]
                samples.append(
                    dict(
                        img_path=layout.image(wnid, stem),
                        seg_map_path=layout.seg_map(wnid, stem),
                        gt_label=label))
        if empty:
            MMLogger.get_current_instance().warning(
                f'{len(empty)} of the {len(self.wnids)} {self.side} classes '
                f'have no annotated image in {self.data_root} (e.g. '
                f'{empty[:3]})')
        return samples
