# Copyright (c) mmpart contributors. All rights reserved.
"""The few-shot split files of the paper's official code, read as they are.

The paper's few-shot numbers come from the official MetaBaseline and
DeepEMD code (``Benchmark/fewshot`` of LixiaoTHU/PartImageNetPP), which
read their own files rather than the processed PIN++ layout; these datasets
read the same files, so mmpart models meet the same images and labels.
"""
import os.path as osp
import pickle
from typing import List

import numpy as np
from mmengine import fileio
from mmpretrain.datasets import BaseDataset

from mmpart.registry import DATASETS

#: The splits of the official MetaBaseline pickles (``'train'`` is read as
#: ``'train_phase_train'``, as the official loader does).
METABASELINE_SPLITS = ('train_phase_train', 'train_phase_val', 'val', 'test')
#: The official MetaBaseline pickle of a split.
METABASELINE_FILE = 'pinpp_category_split_{}.pickle'
#: The splits of the official DeepEMD csv files.
DEEPEMD_SPLITS = ('train', 'val', 'test')


@DATASETS.register_module()
class PINPPMetaBaselineDataset(BaseDataset):
    """A split of the official MetaBaseline pickles of PIN++.

    ``<data_root>/pinpp_category_split_<split>.pickle`` (the official
    ``materials/pinpp``) holds a dict: ``data``, the images as uint8
    ``(H, W, 3)`` RGB arrays; ``labels``, one int each; ``bbox``, the object
    box of each as ``(x, y, w, h)`` pixels. It is read, as the official
    ``datasets/pinpp.py`` reads it, with ``pickle.load(f,
    encoding='latin1')``, which also reads the Python 2 pickles of the
    mini-ImageNet lineage (numpy arrays pickled as byte strings); pickles
    run code when loaded, so read only trusted files. Labels are shifted so
    the smallest is 0 (``label - min(labels)``, not renumbered).

    Each sample is ``img`` (BGR, as ``LoadImageFromFile`` gives it, so the
    usual pipelines and ``to_rgb=True`` preprocessors apply), ``gt_label``
    and ``object_box``, the box as ``(x1, y1, x2, y2)`` with each corner
    rounded as PIL's ``crop`` rounds ``(x, y, x + w, y + h)``. The pipeline
    starts without loading. The official test is ``Resize((80, 80))``
    (PIL bilinear) and ImageNet's mean and std, no augmentation; its
    part-aware model sees the box crop too, resized alike:

    .. code-block:: python

        pipeline = [
            dict(type='Resize', scale=80, backend='pillow'),  # plain
            # or, part-aware: dict(type='StackObjectCrop', scale=80),
            dict(type='PackInputs'),
        ]

    Args:
        split (str): ``'train'`` (= ``'train_phase_train'``),
            ``'train_phase_train'``, ``'train_phase_val'``, ``'val'`` or
            ``'test'``. Defaults to ``'test'``.
        data_root (str): The folder of the pickles.
        **kwargs: Other mmpretrain ``BaseDataset`` arguments
            (``pipeline``, ``test_mode``, ...).
    """

    def __init__(self, split: str = 'test', data_root: str = '', **kwargs):
        tag = 'train_phase_train' if split == 'train' else split
        if tag not in METABASELINE_SPLITS:
            raise ValueError(f'split must be "train" or one of '
                             f'{METABASELINE_SPLITS}, got {split!r}')
        self.split = tag
        super().__init__(
            ann_file=METABASELINE_FILE.format(tag),
            data_root=data_root,
            **kwargs)

    def load_data_list(self) -> List[dict]:
        """The images, labels and boxes of the pickle, in its order.

        Returns:
            list[dict]: ``img``, ``img_shape``, ``ori_shape``, ``gt_label``
            and ``object_box`` of each sample.
        """
        pack = pickle.loads(fileio.get(self.ann_file), encoding='latin1')
        missing = [k for k in ('data', 'labels', 'bbox') if k not in pack]
        if missing:
            raise ValueError(f'{self.ann_file}: no {missing} in the pickle')
        images, labels, boxes = pack['data'], pack['labels'], pack['bbox']
        if not len(images) == len(labels) == len(boxes):
            raise ValueError(
                f'{self.ann_file}: {len(images)} images, {len(labels)} '
                f'labels and {len(boxes)} boxes')
        if not len(labels):
            raise ValueError(f'{self.ann_file}: no image')
        first = int(min(labels))
        samples = []
        for index, (image, label, box) in enumerate(
                zip(images, labels, boxes)):
            image = np.asarray(image)
            if image.dtype != np.uint8 or image.ndim != 3 or \
                    image.shape[2] != 3:
                raise ValueError(
                    f'{self.ann_file}: image {index} is not uint8 (H, W, 3) '
                    f'but {image.dtype} {image.shape}')
            x, y, w, h = box
            samples.append(
                dict(
                    img=np.ascontiguousarray(image[..., ::-1]),
                    img_shape=image.shape[:2],
                    ori_shape=image.shape[:2],
                    gt_label=int(label) - first,
                    object_box=tuple(
                        int(round(v)) for v in (x, y, x + w, y + h))))
        return samples


@DATASETS.register_module()
class PINPPDeepEMDDataset(BaseDataset):
    """A split of the official DeepEMD csv files of PIN++.

    ``<data_root>/split/<split>.csv`` (the official ``<data_dir>/pinpp``)
    has a header line, then one ``name,wnid`` row an image, whose file is
    ``<data_root>/images/<name>``. Labels number the wnids in the order
    they first appear, as the official ``Models/dataloader/pinpp/fcn/
    pinpp.py`` does; the order is kept in ``metainfo['wnids']``. The
    official fcn test resizes to 92 × 92, center-crops 84 and normalises by
    mean ``(125.3, 123.0, 113.9)`` and std ``(63.0, 62.1, 66.7)`` (its grid
    variant resizes to 84 × 84 directly):

    .. code-block:: python

        pipeline = [
            dict(type='LoadImageFromFile'),
            dict(type='Resize', scale=(92, 92), backend='pillow'),
            dict(type='CenterCrop', crop_size=84),
            dict(type='PackInputs'),
        ]

    Args:
        split (str): ``'train'``, ``'val'`` or ``'test'``. Defaults to
            ``'test'``.
        data_root (str): The folder of ``split/`` and ``images/``.
        **kwargs: Other mmpretrain ``BaseDataset`` arguments
            (``pipeline``, ``test_mode``, ...).
    """

    def __init__(self, split: str = 'test', data_root: str = '', **kwargs):
        if split not in DEEPEMD_SPLITS:
            raise ValueError(f'split must be one of {DEEPEMD_SPLITS}, got '
                             f'{split!r}')
        self.split = split
        super().__init__(
            ann_file=osp.join('split', f'{split}.csv'),
            data_root=data_root,
            data_prefix=dict(img_path='images'),
            **kwargs)

    def load_data_list(self) -> List[dict]:
        """The csv's images, in its order.

        Returns:
            list[dict]: ``img_path`` and ``gt_label`` of each row.
        """
        lines = fileio.get_text(self.ann_file).splitlines()
        wnids, samples = {}, []
        for lineno, line in enumerate(lines[1:], start=2):
            line = line.strip()
            if not line:
                continue
            fields = line.split(',')
            if len(fields) != 2 or not all(fields):
                raise ValueError(f'{self.ann_file}:{lineno}: expected '
                                 f'"name,wnid", got {line!r}')
            name, wnid = fields
            label = wnids.setdefault(wnid, len(wnids))
            samples.append(
                dict(
                    img_path=osp.join(self.data_prefix['img_path'], name),
                    gt_label=label))
        if not samples:
            raise ValueError(f'{self.ann_file}: no image')
        self._metainfo['wnids'] = list(wnids)
        return samples
