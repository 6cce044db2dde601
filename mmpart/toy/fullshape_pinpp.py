# Copyright (c) mmpart contributors. All rights reserved.
"""Synthetic PIN++ in the real release's shape, with few images.

Where :func:`~mmpart.toy.make_toy_pinpp` makes a small learnable set (ten
classes of 96 px squares), this one has what the real data has and a toy
set lacks, to run the converter, the datasets and the tools on the real
shape end to end:

- the official label space: all 1000 wnids of the part-count table with
  their official counts (1 to 9 parts, 3310 part ids);
- ImageNet-like images: sides of 250 to 500 px in many aspect ratios, some
  grayscale JPEGs, a CMYK JPEG and a PNG named ``.JPEG``;
- an annotated image of every class that shows all its parts, so every
  part id is used, and enough annotated images in the first classes of
  each side of the bundled few-shot split (base, val, novel) for 5-way
  5-shot 15-query episodes;
- unannotated train images of a few classes (pseudo labels,
  classification);
- val images named as lines of the bundled 10k val subset.

Layout written under ``out_dir`` (the toy's)::

    release/json/<wnid>.json              1000 one-line COCO class files
    release/including/<wnid>.txt          child:parent, CRLF line endings
    release/category_name.json            {wnid: {"object", "parts"}}
    release/discarded_data.json           {} (nothing discarded)
    train/<wnid>/<wnid>_<number>.JPEG     annotated and unannotated
    val/<wnid>/ILSVRC2012_val_<k>.JPEG    named as in the 10k val subset
    meta/train.txt                        "<wnid>/<file> <label>"
    meta/val.txt                          the 10k subset's lines of val/
    meta/classes.txt                      the 1000 wnids, label order
    meta/part_counts.tsv                  the official table (1000 rows)
    fullshape_pinpp.json                  parameters and summary, last
"""
import os.path as osp
from collections import defaultdict
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import numpy as np

from mmpart.datasets.class_split import (CLASS_SPLIT_SIDES,
                                         DEFAULT_CLASS_SPLIT, read_class_split)
from mmpart.datasets.label_space import imagenet_object_names, load_part_counts
from mmpart.datasets.lists import VAL_SUBSET_10K, read_image_list
from .pinpp import (LEAF_HIDE_PROB, PART_TEMPLATES, ClassSpec,
                    add_annotated_image, find_existing_set, make_class_spec,
                    make_set_dirs, render_instance, write_class_files,
                    write_image, write_set_index, write_stamp)

#: The toy's part templates and two more attached parts, so that a class
#: can have the 9 parts of the largest official count (toy classes have
#: at most 7, and their design must not change).
FULL_SHAPE_PART_TEMPLATES = PART_TEMPLATES + (
    ('wing', 'attached', -135, 0.35, 1),
    ('claw', 'attached', 45, 0.3, 1),
)
#: Shortest and longest image side in pixels (ImageNet's are mostly 500
#: px on the longer side, 333 or 375 on the other).
SIDE_RANGE = (250, 500)
#: The first image of every ``GRAYSCALE_EVERY``-th class is grayscale.
GRAYSCALE_EVERY = 100
#: The other quirks, by the label of the class whose first image has it.
QUIRK_OF_LABEL = {1: 'cmyk', 2: 'png'}
#: Train file numbers are drawn below this, so they are not image ids
#: (the release's class files list e.g. ``n01667778_2025.JPEG`` as id 1).
MAX_FILE_NUMBER = 15000
#: The generator's stamp, written last.
FULL_SHAPE_STAMP = 'fullshape_pinpp.json'


@dataclass
class PlannedImage:
    """An image of the full-shape set, before it is drawn.

    Args:
        folder (str): ``'train'`` or ``'val'``.
        file_name (str): ``<wnid>/<file>``.
        label (int): Its class's label (the index of its sorted wnid).
        height (int): Height in pixels.
        width (int): Width in pixels.
        annotated (bool): Whether the release annotates it.
        quirk (str, optional): One of :data:`~mmpart.toy.pinpp.QUIRKS`.
    """
    folder: str
    file_name: str
    label: int
    height: int
    width: int
    annotated: bool = False
    quirk: Optional[str] = None

    @property
    def line(self) -> str:
        """Its ``<wnid>/<file> <label>`` list line."""
        return f'{self.file_name} {self.label}'


@dataclass
class FullShapePlan:
    """What :func:`make_fullshape_pinpp` draws.

    Args:
        specs (list[ClassSpec]): The 1000 classes, in label order.
        images (list[PlannedImage]): Every image, class by class: the
            annotated train images, the unannotated ones, the val ones.
        episode_wnids (dict[str, list[str]]): The wnids with many
            annotated images, by side of the bundled few-shot split.
    """
    specs: List[ClassSpec]
    images: List[PlannedImage]
    episode_wnids: Dict[str, List[str]]


def _spread(num: int, total: int) -> List[int]:
    """``num`` labels of ``range(total)``, evenly spaced from 0."""
    return [i * total // num for i in range(num)]


def _image_size(rng: np.random.Generator) -> Tuple[int, int]:
    """An ImageNet-like ``(height, width)``: half the images 500 px on the
    longer side, most in landscape."""
    low, high = SIDE_RANGE
    longer = high if rng.random() < 0.5 else int(rng.integers(low, high))
    shorter = int(rng.integers(low, longer + 1))
    return (shorter, longer) if rng.random() < 0.7 else (longer, shorter)


def _first_image_quirk(label: int) -> Optional[str]:
    """The quirk of the first annotated image of class ``label``."""
    if label % GRAYSCALE_EVERY == 0:
        return 'grayscale'
    return QUIRK_OF_LABEL.get(label)


def plan_fullshape_pinpp(seed: int = 0,
                         episode_classes: int = 5,
                         episode_per_class: int = 20,
                         unannotated_classes: int = 10,
                         unannotated_per_class: int = 5,
                         val_classes: int = 100,
                         val_per_class: int = 2) -> FullShapePlan:
    """Design the classes and list the images of a full-shape set.

    Cheap (nothing is drawn), so tests check the set's shape on the plan.
    The arguments are those of :func:`make_fullshape_pinpp`.

    Returns:
        FullShapePlan: The classes and the images.
    """
    counts = load_part_counts()
    wnids = list(counts)
    split = read_class_split(DEFAULT_CLASS_SPLIT)
    smallest_side = min(len(split[side]) for side in CLASS_SPLIT_SIDES)
    checks = [('episode_classes', episode_classes, 0, smallest_side),
              ('episode_per_class', episode_per_class, 1, None),
              ('unannotated_classes', unannotated_classes, 0, len(wnids)),
              ('unannotated_per_class', unannotated_per_class, 0, None),
              ('val_classes', val_classes, 0, len(wnids)),
              ('val_per_class', val_per_class, 0, None)]
    for name, value, low, high in checks:
        if value < low or (high is not None and value > high):
            raise ValueError(f'{name} must be in [{low}, {high or "..."}], '
                             f'got {value}')

    names = imagenet_object_names()
    specs = [
        make_class_spec(i, len(wnids), wnid, names[wnid], counts[wnid], seed,
                        FULL_SHAPE_PART_TEMPLATES)
        for i, wnid in enumerate(wnids)
    ]
    episodes = {
        side: split[side][:episode_classes]
        for side in CLASS_SPLIT_SIDES
    }
    many = {wnid for side in episodes.values() for wnid in side}
    unannotated = set(_spread(unannotated_classes, len(wnids)))
    val_lines = defaultdict(list)
    for entry in read_image_list(VAL_SUBSET_10K):
        val_lines[entry.label].append(entry.path)

    images = []
    for label, wnid in enumerate(wnids):
        num_annotated = episode_per_class if wnid in many else 1
        num_train = num_annotated + (
            unannotated_per_class if label in unannotated else 0)
        rng = np.random.default_rng([seed, label, 3])
        numbers = rng.choice(MAX_FILE_NUMBER, num_train, replace=False) + 1
        for k, number in enumerate(numbers):
            images.append(
                PlannedImage('train', f'{wnid}/{wnid}_{number}.JPEG', label,
                             *_image_size(rng), k < num_annotated,
                             _first_image_quirk(label) if k == 0 else None))
    rng = np.random.default_rng([seed, 4])
    for label in _spread(val_classes, len(wnids)):
        paths = val_lines[label]
        if len(paths) < val_per_class:
            raise ValueError(f'{VAL_SUBSET_10K} lists {len(paths)} images '
                             f'of class {label}, fewer than val_per_class '
                             f'({val_per_class})')
        images.extend(
            PlannedImage('val', path, label, *_image_size(rng))
            for path in paths[:val_per_class])
    images.sort(key=lambda image: image.label)  # stable: train, then val
    return FullShapePlan(specs, images, episodes)


def make_fullshape_pinpp(out_dir: str,
                         seed: int = 0,
                         episode_classes: int = 5,
                         episode_per_class: int = 20,
                         unannotated_classes: int = 10,
                         unannotated_per_class: int = 5,
                         val_classes: int = 100,
                         val_per_class: int = 2,
                         overwrite: bool = False) -> dict:
    """Write a synthetic PIN++ release and ImageNet images in the real
    shape (see the module docstring).

    Deterministic in its arguments. If ``out_dir`` already holds the set
    made with the same arguments nothing is written; another set is an
    error unless ``overwrite``. The defaults make 1535 images (1285
    annotated, 50 unannotated, 200 val; 71 MB).

    Args:
        out_dir (str): Output folder.
        seed (int): Random seed. Defaults to 0.
        episode_classes (int): Classes of each side of the bundled few-shot
            split (its first, in sorted order) with ``episode_per_class``
            annotated images. Defaults to 5.
        episode_per_class (int): Their annotated images; 20 allow 5-shot
            15-query episodes. The other classes have one. Defaults to 20.
        unannotated_classes (int): Classes with unannotated train images,
            evenly spaced over the labels. Defaults to 10.
        unannotated_per_class (int): Their unannotated images.
            Defaults to 5.
        val_classes (int): Classes with val images, evenly spaced over the
            labels. Defaults to 100.
        val_per_class (int): Their val images: the first lines of the
            class in the 10k val subset. Defaults to 2.
        overwrite (bool): Replace a set made with other arguments.
            Defaults to False.

    Returns:
        dict: The arguments plus ``num_images`` (``annotated``,
        ``unannotated``, ``val``), ``episode_wnids`` (wnids by side) and
        ``quirk_files`` (file name to quirk).
    """
    params = dict(
        seed=seed,
        episode_classes=episode_classes,
        episode_per_class=episode_per_class,
        unannotated_classes=unannotated_classes,
        unannotated_per_class=unannotated_per_class,
        val_classes=val_classes,
        val_per_class=val_per_class)
    done = find_existing_set(out_dir, FULL_SHAPE_STAMP, params, overwrite)
    if done is not None:
        return done
    plan = plan_fullshape_pinpp(**params)

    release = make_set_dirs(out_dir)
    lines = dict(train=[], val=[])
    by_label = defaultdict(list)
    for image in plan.images:
        by_label[image.label].append(image)
    for label, spec in enumerate(plan.specs):
        coco = dict(images=[], annotations=[])
        for k, image in enumerate(by_label[label]):
            rng = np.random.default_rng([seed, label, k, 1])
            # The first annotated image of a class shows all its parts, so
            # every part id of the label space is used.
            hide_prob = LEAF_HIDE_PROB if coco['images'] else 0.0
            img, parts = render_instance(spec, rng,
                                         (image.height, image.width),
                                         hide_prob)
            write_image(
                osp.join(out_dir, image.folder, image.file_name), img,
                image.quirk)
            lines[image.folder].append(image.line)
            if image.annotated:
                add_annotated_image(coco, image.file_name, image.height,
                                    image.width, parts, rng)
        write_class_files(release, spec, coco, final_newline=label % 2 == 0)
    write_set_index(out_dir, plan.specs, lines['train'], lines['val'], {})

    annotated = sum(image.annotated for image in plan.images)
    done = dict(
        params,
        num_images=dict(
            annotated=annotated,
            unannotated=len(lines['train']) - annotated,
            val=len(lines['val'])),
        episode_wnids=plan.episode_wnids,
        quirk_files={
            image.file_name: image.quirk
            for image in plan.images if image.quirk
        })
    write_stamp(out_dir, FULL_SHAPE_STAMP, done)
    return done
