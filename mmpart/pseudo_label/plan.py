# Copyright (c) mmpart contributors. All rights reserved.
"""Which ImageNet train images a pseudo-labelling run labels, in which
batches, and which process labels each batch."""
import os
import os.path as osp
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Set

from mmpart.datasets import (LabelSpace, PINPPLayout, read_image_list,
                             split_sample_key)
from mmpart.datasets.lists import read_pseudo_flags
from .labeller import ALL_IGNORED, EMPTY, WRITTEN
from .records import PseudoLabelRecord


@dataclass
class ImageItem:
    """One image to pseudo-label.

    Args:
        image (str): ``<wnid>/<file>``.
        path (str): The image file.
        seg_path (str): Its part mask.
        obj_path (str, optional): Its object mask, if asked for.
    """
    image: str
    path: str
    seg_path: str
    obj_path: Optional[str]

    @property
    def wnid(self) -> str:
        """The image's class."""
        return split_sample_key(self.image)[0]

    @property
    def file_name(self) -> str:
        """The file name, as the pseudo lists name it."""
        return split_sample_key(self.image)[1]


def list_class_images(imagenet_train: str, wnids: Sequence[str],
                      skipped: Counter) -> List[str]:
    """``<wnid>/<file>`` of the files in ``<imagenet_train>/<wnid>/``.

    Args:
        imagenet_train (str): The ImageNet train folder.
        wnids (Sequence[str]): The classes to list.
        skipped (Counter): Counts ``class_folder_missing``.

    Returns:
        list[str]: The images, sorted.
    """
    images = []
    for wnid in wnids:
        folder = osp.join(imagenet_train, wnid)
        if not osp.isdir(folder):
            skipped['class_folder_missing'] += 1
            continue
        with os.scandir(folder) as entries:
            images += [f'{wnid}/{e.name}' for e in entries
                       if e.is_file() and not e.name.startswith('.')]
    return sorted(images)


@dataclass
class PseudoLabelPlan:
    """The images of a run and their state before it.

    Args:
        items (list[ImageItem]): The images to label, sorted; batches are
            consecutive runs of them.
        human (dict[str, int]): Images with a human mask, skipped, by
            class.
        kept (dict[str, list[str]]): Images with a mask the labeller did not
            record (a pseudo label of an earlier run without records, or an
            unlisted mask), never overwritten, by class.
        done (set[str]): Images a record says are finished (their mask, if
            any, exists).
        skipped (Counter): Images or classes not labelled, by reason.
        refused (list[str]): ``'<file>:<line>: <entry>'`` of the list
            entries refused because they leave their class folder (counted
            in ``skipped`` as ``outside_class_folder``).
        batch_size (int): Images per batch.
    """
    items: List[ImageItem]
    human: Dict[str, int]
    kept: Dict[str, List[str]]
    done: Set[str]
    skipped: Counter
    refused: List[str]
    batch_size: int
    batches: List[List[ImageItem]] = field(init=False)

    def __post_init__(self):
        # Batches are fixed by the image order alone, so every image is
        # computed in the same batch whatever the number of processes and
        # however often the run is resumed: byte-identical outputs.
        self.batches = [
            self.items[i:i + self.batch_size]
            for i in range(0, len(self.items), self.batch_size)
        ]

    def todo(self, batch: Sequence[ImageItem]) -> List[ImageItem]:
        """The images of a batch that are not done."""
        return [item for item in batch if item.image not in self.done]

    def shard(self, rank: int, world_size: int) -> List[List[ImageItem]]:
        """The batches process ``rank`` labels: every ``world_size``-th
        batch that is not done.

        Args:
            rank (int): The process.
            world_size (int): The number of processes.

        Returns:
            list[list[ImageItem]]: Its batches, whole (the done images are
            computed again with the others but not written).
        """
        return [
            batch for k, batch in enumerate(self.batches)
            if k % world_size == rank and self.todo(batch)
        ]


def plan_pseudo_labels(label_space: LabelSpace,
                       data_root: str,
                       imagenet_train: str,
                       out_root: str,
                       records: Dict[str, PseudoLabelRecord],
                       batch_size: int,
                       ann_file: Optional[str] = None,
                       object_maps: bool = False,
                       include_annotated: bool = False) -> PseudoLabelPlan:
    """Plan a run: the images of the label space's classes that need a
    pseudo mask.

    Args:
        label_space (LabelSpace): The classes (and their parts).
        data_root (str): The processed PIN++ root, whose pseudo lists say
            which images have human masks.
        imagenet_train (str): The ImageNet train folder.
        out_root (str): Where masks and lists are written (``data_root``
            unless evaluating).
        records (dict[str, PseudoLabelRecord]): Records of earlier runs.
        batch_size (int): Images per batch.
        ann_file (str, optional): A list of ``<wnid>/<file>`` lines to
            label instead of every file of the class folders; a line that
            leaves its class folder is refused (see
            :func:`~mmpart.datasets.lists.stays_in_folder`).
        object_maps (bool): Also write object masks.
        include_annotated (bool): Also label images with human masks (to
            score pseudo labels against them; ``out_root`` must then differ
            from ``data_root``).

    Returns:
        PseudoLabelPlan: The plan.
    """
    if include_annotated and osp.realpath(out_root) == osp.realpath(
            data_root):
        raise ValueError(
            'include_annotated labels images that have human masks: write '
            f'them to another root than data_root ({data_root}), so no '
            'human mask is overwritten')
    skipped, refused = Counter(), []
    classes = set(label_space.wnids)
    if ann_file is None:
        images = list_class_images(imagenet_train, label_space.wnids, skipped)
    else:
        images = []
        for entry in read_image_list(
                ann_file, labels_optional=True, refused=refused):
            if entry.wnid in classes:
                images.append(entry.path)
            else:
                skipped['not_in_label_space'] += 1
        images = sorted(set(images))
    source, out = PINPPLayout(data_root), PINPPLayout(out_root)
    human: Dict[str, Set[str]] = {}
    for wnid in sorted({split_sample_key(image)[0] for image in images}):
        path = source.pseudo_list(wnid)
        flags = read_pseudo_flags(path, missing_ok=True, refused=refused)
        human[wnid] = {name for name, pseudo in flags.items() if not pseudo}
    if refused:
        skipped['outside_class_folder'] += len(refused)
    items, kept, done = [], {}, set()
    for image in images:
        wnid, file_name = split_sample_key(image)
        if file_name in human[wnid] and not include_annotated:
            continue
        stem = osp.splitext(file_name)[0]
        item = ImageItem(image, osp.join(imagenet_train, wnid, file_name),
                         out.seg_map(wnid, stem),
                         out.obj_map(wnid, stem) if object_maps else None)
        record = records.get(image)
        masks = [p for p in (item.seg_path, item.obj_path) if p]
        if record is None and any(osp.exists(p) for p in masks):
            kept.setdefault(wnid, []).append(image)
            continue
        if record is not None and (record.status in (EMPTY, ALL_IGNORED) or (
                record.status == WRITTEN and all(map(osp.exists, masks)))):
            done.add(image)
        items.append(item)
    return PseudoLabelPlan(
        items=items,
        human={
            wnid: len(names)
            for wnid, names in human.items() if names
        },
        kept=kept,
        done=done,
        skipped=skipped,
        refused=refused,
        batch_size=batch_size)
