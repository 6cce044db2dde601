# Copyright (c) mmpart contributors. All rights reserved.
"""Write a class split of converted PIN++ in the file formats of the
paper's official few-shot code.

The official MetaBaseline reads ``pinpp_category_split_<split>.pickle``
files and the official DeepEMD ``split/<split>.csv`` beside an ``images/``
folder (:class:`~mmpart.datasets.PINPPMetaBaselineDataset`,
:class:`~mmpart.datasets.PINPPDeepEMDDataset`). The paper's own files are
not in its code release; these writers make files of the same format from
the processed layout and a class split, so the official protocol runs on any
converted set (the toy sets included) and a user holding the official files
swaps them in unchanged.
"""
import os
import os.path as osp
import pickle
from collections import Counter
from typing import Dict, List, Tuple

import mmcv
import numpy as np

from mmpart.datasets import PINPPFewShotDataset
from mmpart.datasets.lists import BUNDLED_PREFIX
from mmpart.datasets.transforms import object_box

#: The official MetaBaseline split names, in the order they are written:
#: the base classes' images twice (all but the held-out ones, and the
#: held-out ones), then the val and the novel classes.
METABASELINE_WRITE_ORDER = ('train_phase_train', 'train_phase_val', 'val',
                            'test')
#: The DeepEMD csv of each side of the class split.
DEEPEMD_SIDES = {'train': 'base', 'val': 'val', 'test': 'novel'}


def side_images(processed: str, class_split: str,
                side: str) -> Tuple[List[str], List[dict]]:
    """The human-annotated images of one side of a class split, as
    :class:`~mmpart.datasets.PINPPFewShotDataset` gives them.

    Args:
        processed (str): The converter's output folder.
        class_split (str): A class split file.
        side (str): ``'base'``, ``'val'`` or ``'novel'``.

    Returns:
        tuple[list[str], list[dict]]: The side's wnids in label order, and
        each image's ``img_path``, ``seg_map_path`` and ``gt_label``.
    """
    if not class_split.startswith(BUNDLED_PREFIX):
        # The dataset would read a relative path under ``processed``.
        class_split = osp.abspath(class_split)
    dataset = PINPPFewShotDataset(
        side=side,
        data_root=processed,
        class_split=class_split,
        serialize_data=False)
    return dataset.wnids, [
        dataset.get_data_info(i) for i in range(len(dataset))
    ]


def _pickle_entry(sample: dict,
                  size: int) -> Tuple[np.ndarray, Tuple[float, ...]]:
    """One image as the official pickles hold it: RGB uint8, ``size`` x
    ``size``, with its object box ``(x, y, w, h)`` scaled alike (the box
    of the part pixels; the whole image when there is none)."""
    image = mmcv.imread(sample['img_path'], channel_order='rgb')
    part_map = mmcv.imread(sample['seg_map_path'], flag='unchanged')
    if image is None or part_map is None:
        raise ValueError(f'{sample["img_path"]} or its part map cannot be '
                         'decoded')
    height, width = image.shape[:2]
    x1, y1, x2, y2 = object_box(part_map) or (0, 0, width, height)
    sx, sy = size / width, size / height
    resized = mmcv.imresize(image, (size, size), backend='pillow')
    return resized, (x1 * sx, y1 * sy, (x2 - x1) * sx, (y2 - y1) * sy)


def write_metabaseline_pickles(processed: str,
                               class_split: str,
                               out_dir: str,
                               size: int = 84,
                               phase_val_every: int = 10) -> Dict[str, int]:
    """The four official MetaBaseline pickles of a class split.

    Labels number the base classes from 0, then the val classes, then the
    novel ones (the official loader subtracts each file's smallest label).
    ``train_phase_val`` holds every ``phase_val_every``-th image of each
    base class (from the ``phase_val_every``-th on), ``train_phase_train``
    the others. Images are stored at ``size`` × ``size`` (PIL bilinear) to
    keep the files small; the official files' stored size is not in its
    code, whose loader resizes to 80 px anyway.

    Args:
        processed (str): The converter's output folder.
        class_split (str): A class split file (``base``, ``val``,
            ``novel``).
        out_dir (str): Where the pickles go.
        size (int): Side of the stored images. Defaults to 84.
        phase_val_every (int): Defaults to 10.

    Returns:
        dict: Images written to each split.
    """
    packs = {name: dict(data=[], labels=[], bbox=[])
             for name in METABASELINE_WRITE_ORDER}
    offset = 0
    for side, name in (('base', None), ('val', 'val'), ('novel', 'test')):
        wnids, samples = side_images(processed, class_split, side)
        seen = Counter()
        for sample in samples:
            label = sample['gt_label']
            seen[label] += 1
            target = name or ('train_phase_val'
                              if seen[label] % phase_val_every == 0 else
                              'train_phase_train')
            image, box = _pickle_entry(sample, size)
            packs[target]['data'].append(image)
            packs[target]['labels'].append(offset + label)
            packs[target]['bbox'].append(box)
        offset += len(wnids)
    os.makedirs(out_dir, exist_ok=True)
    for name, pack in packs.items():
        path = osp.join(out_dir, f'pinpp_category_split_{name}.pickle')
        with open(path + '.tmp', 'wb') as file:
            pickle.dump(pack, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(path + '.tmp', path)
    return {name: len(pack['labels']) for name, pack in packs.items()}


def write_deepemd_split(processed: str, class_split: str,
                        out_dir: str) -> Dict[str, int]:
    """The official DeepEMD ``split/{train,val,test}.csv`` of a class split
    (the base, val and novel classes), with ``images/<wnid>/<stem>.JPEG``
    linked to the processed images.

    Args:
        processed (str): The converter's output folder.
        class_split (str): A class split file.
        out_dir (str): The dataset folder (``split/`` and ``images/``).

    Returns:
        dict: Images listed in each csv.
    """
    counts = {}
    os.makedirs(osp.join(out_dir, 'split'), exist_ok=True)
    for name, side in DEEPEMD_SIDES.items():
        rows = ['filename,label']
        wnids, samples = side_images(processed, class_split, side)
        for sample in samples:
            wnid = wnids[sample['gt_label']]
            source = osp.realpath(sample['img_path'])
            rel = f'{wnid}/{osp.basename(source)}'
            link = osp.join(out_dir, 'images', rel)
            os.makedirs(osp.dirname(link), exist_ok=True)
            if osp.lexists(link) and osp.realpath(link) != source:
                os.remove(link)
            if not osp.lexists(link):
                os.symlink(source, link)
            rows.append(f'{rel},{wnid}')
        path = osp.join(out_dir, 'split', f'{name}.csv')
        with open(path + '.tmp', 'w') as file:
            file.write('\n'.join(rows) + '\n')
        os.replace(path + '.tmp', path)
        counts[name] = len(rows) - 1
    return counts
