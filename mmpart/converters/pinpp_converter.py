# Copyright (c) mmpart contributors. All rights reserved.
"""Convert the PIN++ release into the processed layout mmpart reads.

Output under ``out_dir``::

    seg/<wnid>/<stem>.png             16-bit global part ids, 0 = background
    obj/<wnid>/<stem>.png             16-bit object ids (``object_masks``)
    img -> <imagenet train folder>    a link (``link_images``)
    whether_pseudo/<wnid>.txt         "<stem>.JPEG 0" per converted image
    splits/{train,val,test}.txt       "<wnid>/<stem>", per class by ratio
    label_space.tsv                   id, wnid, object, part, parent
    conversion_report.json            counts by outcome

Global part ids follow the official order: classes by sorted wnid, each
owning a block of ids sized by the part-count table, one id per category in
the class file's category order. Masks are rasterised with pycocotools,
painting parents before their children (``including/``), otherwise in
annotation order. Every file is written atomically and a rerun skips the
images whose masks exist, so a resumed run ends byte-identical to an
uninterrupted one.
"""
import json
import os
import os.path as osp
import time
from collections import Counter, OrderedDict
from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np
from mmengine.utils import track_parallel_progress, track_progress
from PIL import Image
from pycocotools import mask as mask_utils

from mmpart.utils.atomic_io import atomic_write_bytes, remove_stale_tmp_files
from mmpart.datasets.label_space import (load_part_counts, part_id_offsets,
                          write_label_space)
from .pinpp_release import (inclusion_depths, read_discarded, read_inclusions,
                            read_object_names)

#: Fractions of each class's converted images in train, val and test.
DEFAULT_SPLIT_RATIOS = (0.8, 0.1, 0.1)

# Image outcomes. An image is used (masks and lists) iff CONVERTED or DONE.
CONVERTED = 'converted'
ALREADY_DONE = 'already_done'
USED = (CONVERTED, ALREADY_DONE)


class PinppFormatError(ValueError):
    """The release breaks the format in a way that cannot be skipped."""


def _clip_polygon(poly: Sequence[float], width: int,
                  height: int) -> Tuple[Optional[List[float]], str]:
    """Validate and clip one flat polygon.

    Returns:
        tuple: The clipped polygon (None if invalid) and a status among
        ``'ok'``, ``'clipped'``, ``'invalid'``.
    """
    if not isinstance(poly, (list, tuple)) or len(poly) < 6 or \
            len(poly) % 2 or not all(
                isinstance(v, (int, float)) and np.isfinite(v)
                for v in poly):
        return None, 'invalid'
    xy = np.asarray(poly, dtype=np.float64).reshape(-1, 2)
    clipped = np.stack([xy[:, 0].clip(0, width), xy[:, 1].clip(0, height)],
                       axis=1)
    status = 'ok' if np.array_equal(clipped, xy) else 'clipped'
    return clipped.reshape(-1).tolist(), status


def annotation_mask(segmentation, width: int, height: int,
                    stats: Counter) -> Optional[np.ndarray]:
    """Rasterise one COCO segmentation (polygons or RLE) with pycocotools.

    Bad polygons are dropped and coordinates outside the image clipped;
    each case is counted in ``stats``.

    Args:
        segmentation: COCO ``segmentation`` value.
        width (int): Image width.
        height (int): Image height.
        stats (Counter): Counts of ``polygon_invalid``, ``polygon_clipped``,
            ``annotation_empty`` and ``rle_size_mismatch``, updated.

    Returns:
        np.ndarray | None: A bool (H, W) mask, or None if nothing is left.
    """
    if isinstance(segmentation, dict):
        size = segmentation.get('size')
        if size is not None and list(size) != [height, width]:
            stats['rle_size_mismatch'] += 1
            return None
        if isinstance(segmentation.get('counts'), list):
            rle = mask_utils.frPyObjects(segmentation, height, width)
        else:
            rle = dict(segmentation, size=[height, width])
            if isinstance(rle['counts'], str):
                rle['counts'] = rle['counts'].encode()
        return mask_utils.decode(rle).astype(bool)
    polygons = []
    for poly in segmentation or []:
        clipped, status = _clip_polygon(poly, width, height)
        if status == 'invalid':
            stats['polygon_invalid'] += 1
            continue
        stats[f'polygon_{status}'] += 1
        polygons.append(clipped)
    if not polygons:
        stats['annotation_empty'] += 1
        return None
    rles = mask_utils.frPyObjects(polygons, height, width)
    return mask_utils.decode(mask_utils.merge(rles)).astype(bool)


def paint_part_map(annotations: Sequence[Tuple[int, object]], width: int,
                   height: int, stats: Counter) -> np.ndarray:
    """Paint annotations, already in paint order, into a global-id map.

    Args:
        annotations (Sequence[tuple]): ``(global id, segmentation)`` pairs;
            later ones are painted over earlier ones.
        width (int): Image width.
        height (int): Image height.
        stats (Counter): Annotation-level counts, updated.

    Returns:
        np.ndarray: uint16 (H, W) part map, 0 = background.
    """
    part_map = np.zeros((height, width), dtype=np.uint16)
    for global_id, segmentation in annotations:
        mask = annotation_mask(segmentation, width, height, stats)
        if mask is not None:
            part_map[mask] = global_id
    return part_map


def _encode_png(array: np.ndarray) -> bytes:
    ok, buf = cv2.imencode('.png', array)
    assert ok, 'PNG encoding failed'
    return buf.tobytes()


def _check_image(path: str, width: int, height: int) -> Optional[str]:
    """Return a skip reason if the image is missing, unreadable or of
    another size than its annotation says, else None."""
    if not osp.isfile(path):
        return 'image_missing'
    try:
        with Image.open(path) as im:
            im.load()  # a full decode catches truncated files
            size = im.size
    except Exception:  # any decoder error means unreadable
        return 'image_unreadable'
    if size != (width, height):
        return 'image_size_mismatch'
    return None


def convert_image(task: dict) -> Tuple[str, str, Counter]:
    """Convert one annotated image (runs in a worker).

    Args:
        task (dict): ``key`` (``<wnid>/<stem>``), ``image_path``,
            ``width``, ``height``, ``annotations`` (paint order),
            ``seg_path``, ``obj_path`` (or None) and ``object_id``.

    Returns:
        tuple: ``(key, outcome, annotation stats)``.
    """
    stats = Counter()
    outputs = [p for p in (task['seg_path'], task['obj_path']) if p]
    if all(osp.exists(p) for p in outputs):
        return task['key'], ALREADY_DONE, stats
    reason = _check_image(task['image_path'], task['width'], task['height'])
    if reason:
        return task['key'], reason, stats
    part_map = paint_part_map(task['annotations'], task['width'],
                              task['height'], stats)
    if not part_map.any():
        stats['mask_all_background'] += 1
    atomic_write_bytes(task['seg_path'], _encode_png(part_map))
    if task['obj_path']:
        obj_map = (part_map > 0).astype(np.uint16) * task['object_id']
        atomic_write_bytes(task['obj_path'], _encode_png(obj_map))
    return task['key'], CONVERTED, stats


class PinppConverter:
    """Plan and run the conversion of a PIN++ release.

    Args:
        release_dir (str): Folder with ``json/``, ``including/`` and
            optionally ``discarded_data.json`` and ``category_name.json``.
        imagenet_train_dir (str): ImageNet-1K train folder
            (``<wnid>/<wnid>_<n>.JPEG``).
        out_dir (str): Output folder.
        part_counts (str, optional): Part-count table; the official one by
            default.
        strict (bool): Make part-count mismatches and unknown part names in
            ``including/`` errors instead of reported skips.
        object_masks (bool): Also write object masks.
        link_images (bool): Make ``out_dir/img`` a link to the ImageNet
            train folder (the processed layout's ``img/``).
        split_ratios (tuple): Train, val and test fractions per class.
        seed (int): Seed of the per-class split shuffles.
    """

    def __init__(self,
                 release_dir: str,
                 imagenet_train_dir: str,
                 out_dir: str,
                 part_counts: Optional[str] = None,
                 strict: bool = False,
                 object_masks: bool = False,
                 link_images: bool = False,
                 split_ratios: Sequence[float] = DEFAULT_SPLIT_RATIOS,
                 seed: int = 0):
        if len(split_ratios) != 3 or abs(sum(split_ratios) - 1) > 1e-6 or \
                min(split_ratios) < 0:
            raise ValueError('split_ratios must be three non-negative '
                             f'fractions summing to 1, got {split_ratios}')
        self.release_dir = release_dir
        self.imagenet_train_dir = imagenet_train_dir
        self.out_dir = out_dir
        self.counts = load_part_counts(part_counts)
        self.offsets = part_id_offsets(self.counts)
        self.strict = strict
        self.object_masks = object_masks
        self.link_images = link_images
        self.split_ratios = tuple(split_ratios)
        self.seed = seed
        self.report: Dict[str, object] = OrderedDict()
        self.problems: Dict[str, List[str]] = OrderedDict()

    def _problem(self, kind: str, message: str) -> None:
        """Record a skipped, counted problem (an error if strict)."""
        if self.strict:
            raise PinppFormatError(message)
        self.problems.setdefault(kind, []).append(message)

    def _default_object_names(self) -> Dict[str, str]:
        """ImageNet class names, for wnids of the official table."""
        from mmpretrain.datasets.categories import IMAGENET_CATEGORIES
        official = list(load_part_counts())
        return {
            wnid: IMAGENET_CATEGORIES[i].split(',')[0].strip()
            for i, wnid in enumerate(official)
        }

    def plan(self) -> Tuple[List[dict], List[dict], Counter]:
        """Read the release and make one task per image to convert.

        Returns:
            tuple: The tasks, the label-space rows and the image-level
            counts of images skipped while planning (discarded ones).
        """
        discarded_path = osp.join(self.release_dir, 'discarded_data.json')
        discarded = read_discarded(discarded_path) if osp.exists(
            discarded_path) else set()
        names_path = osp.join(self.release_dir, 'category_name.json')
        object_names = self._default_object_names()
        if osp.exists(names_path):
            object_names.update(read_object_names(names_path))

        tasks, planned = [], Counter()
        rows = [dict(id=0, wnid='-', object='background', part='background',
                     parent='-')]
        for class_index, (wnid, count) in enumerate(self.counts.items()):
            json_path = osp.join(self.release_dir, 'json', f'{wnid}.json')
            part_names = [f'part{k + 1}' for k in range(count)]
            parents: Dict[str, str] = {}
            if not osp.exists(json_path):
                self.problems.setdefault('class_file_missing',
                                         []).append(json_path)
            else:
                part_names, parents, class_tasks, skipped = self._plan_class(
                    wnid, class_index, count, json_path, discarded)
                tasks.extend(class_tasks)
                planned.update(skipped)
            for k in range(count):
                name = part_names[k] if k < len(part_names) else f'part{k+1}'
                rows.append(
                    dict(id=self.offsets[wnid] + k, wnid=wnid,
                         object=object_names.get(wnid, wnid), part=name,
                         parent=parents.get(name, '-')))
        return tasks, rows, planned

    def _plan_class(self, wnid: str, class_index: int, count: int,
                    json_path: str, discarded: set):
        """Plan one class file; see :meth:`plan`."""
        try:
            with open(json_path, encoding='utf-8') as f:
                coco = json.load(f)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise PinppFormatError(f'{json_path}: not valid JSON ({e})')
        for key in ('images', 'annotations', 'categories'):
            if not isinstance(coco.get(key), list):
                raise PinppFormatError(f'{json_path}: no "{key}" list')
        categories = coco['categories']
        part_names = [str(c.get('name', f'part{i + 1}'))
                      for i, c in enumerate(categories)]
        # Category ids may start at 0 or 1: a category's position in the
        # list, not its id, gives the part index.
        position = {}
        for i, cat in enumerate(categories):
            if cat.get('id') in position:
                raise PinppFormatError(
                    f'{json_path}: category id {cat.get("id")} repeated')
            position[cat.get('id')] = i
        if len(categories) != count:
            self._problem(
                'part_count_mismatch',
                f'{json_path}: {len(categories)} categories, the part-count '
                f'table says {count}')

        relations = []
        including = osp.join(self.release_dir, 'including', f'{wnid}.txt')
        if osp.exists(including):
            for child, parent in read_inclusions(including):
                if child in part_names and parent in part_names:
                    relations.append((child, parent))
                else:
                    self._problem(
                        'inclusion_unknown_part',
                        f'{including}: "{child}:{parent}" names a part that '
                        f'is not in {json_path}')
        depths = inclusion_depths(part_names, relations, including)

        images = OrderedDict()
        for image in coco['images']:
            if image.get('id') in images:
                raise PinppFormatError(
                    f'{json_path}: image id {image.get("id")} repeated')
            images[image.get('id')] = image
        anns_by_image: Dict[object, list] = {i: [] for i in images}
        skipped = Counter()
        for ann in coco['annotations']:
            if ann.get('image_id') not in images:
                self._problem(
                    'annotation_unknown_image',
                    f'{json_path}: annotation {ann.get("id")} refers to '
                    f'image {ann.get("image_id")}, which is not listed')
                continue
            if ann.get('category_id') not in position:
                raise PinppFormatError(
                    f'{json_path}: annotation {ann.get("id")} has '
                    f'category_id {ann.get("category_id")}, not one of '
                    f'{sorted(position, key=str)}')
            part_index = position[ann['category_id']]
            if part_index >= count:
                skipped['annotation_beyond_table'] += 1
                continue
            anns_by_image[ann['image_id']].append(
                (depths[part_names[part_index]],
                 self.offsets[wnid] + part_index, ann.get('segmentation')))

        tasks = []
        for image_id, image in images.items():
            file_name = str(image.get('file_name', ''))
            stem = osp.splitext(osp.basename(file_name))[0]
            if not stem:
                raise PinppFormatError(
                    f'{json_path}: image {image_id} has no file_name')
            if not isinstance(image.get('width'), int) or \
                    not isinstance(image.get('height'), int):
                raise PinppFormatError(
                    f'{json_path}: image {image_id} ({file_name}) has no '
                    'integer width and height')
            if stem in discarded:
                skipped['discarded'] += 1
                continue
            # Stable sort: parents first, annotation order among equals.
            anns = sorted(anns_by_image[image_id], key=lambda a: a[0])
            key = f'{wnid}/{stem}'
            tasks.append(
                dict(
                    key=key,
                    wnid=wnid,
                    image_path=osp.join(self.imagenet_train_dir, wnid,
                                        osp.basename(file_name)),
                    width=image['width'],
                    height=image['height'],
                    annotations=[(gid, seg) for _, gid, seg in anns],
                    seg_path=osp.join(self.out_dir, 'seg', f'{key}.png'),
                    obj_path=osp.join(self.out_dir, 'obj', f'{key}.png')
                    if self.object_masks else None,
                    object_id=class_index + 1))
        return part_names, dict(relations), tasks, skipped

    def split(self, used_keys: Sequence[str]) -> Dict[str, List[str]]:
        """Split the converted images of each class by the ratios.

        Args:
            used_keys (Sequence[str]): ``<wnid>/<stem>`` of converted images.

        Returns:
            dict[str, list[str]]: Sorted keys for train, val and test.
        """
        by_class: Dict[str, List[str]] = {}
        for key in sorted(used_keys):
            by_class.setdefault(key.split('/')[0], []).append(key)
        splits = dict(train=[], val=[], test=[])
        wnids = list(self.counts)
        for wnid, keys in by_class.items():
            rng = np.random.default_rng([self.seed, wnids.index(wnid)])
            order = [keys[i] for i in rng.permutation(len(keys))]
            n_val = int(round(len(keys) * self.split_ratios[1]))
            n_test = int(round(len(keys) * self.split_ratios[2]))
            splits['val'] += order[:n_val]
            splits['test'] += order[n_val:n_val + n_test]
            splits['train'] += order[n_val + n_test:]
        return {name: sorted(keys) for name, keys in splits.items()}

    def run(self, workers: int = 1) -> dict:
        """Convert everything and write the lists and the report.

        Args:
            workers (int): Worker processes for the images.

        Returns:
            dict: The report (also saved as ``conversion_report.json``).
        """
        start = time.time()
        os.makedirs(self.out_dir, exist_ok=True)
        stale = remove_stale_tmp_files(self.out_dir)
        tasks, rows, planned = self.plan()
        if workers > 1 and len(tasks) > 1:
            results = track_parallel_progress(
                convert_image, tasks, workers, chunksize=8)
        else:
            results = track_progress(convert_image, tasks)

        outcomes, ann_stats = Counter(planned), Counter()
        used = []
        for key, outcome, stats in results:
            outcomes[outcome] += 1
            ann_stats.update(stats)
            if outcome in USED:
                used.append(key)
            else:
                self.problems.setdefault(outcome, []).append(key)

        splits = self.split(used)
        for name, keys in splits.items():
            atomic_write_bytes(
                osp.join(self.out_dir, 'splits', f'{name}.txt'),
                ''.join(f'{k}\n' for k in keys).encode())
        by_class: Dict[str, List[str]] = {}
        for key in sorted(used):
            wnid, stem = key.split('/')
            by_class.setdefault(wnid, []).append(f'{stem}.JPEG 0\n')
        for wnid, lines in by_class.items():
            atomic_write_bytes(
                osp.join(self.out_dir, 'whether_pseudo', f'{wnid}.txt'),
                ''.join(lines).encode())
        write_label_space(osp.join(self.out_dir, 'label_space.tsv'), rows)
        if self.link_images:
            link = osp.join(self.out_dir, 'img')
            if not osp.lexists(link):
                os.symlink(osp.abspath(self.imagenet_train_dir), link)

        elapsed = time.time() - start
        converted = outcomes[CONVERTED]
        self.report = OrderedDict(
            images=OrderedDict(sorted(outcomes.items())),
            annotations=OrderedDict(sorted(ann_stats.items())),
            problems=OrderedDict(
                (k, dict(count=len(v), examples=v[:20]))
                for k, v in self.problems.items()),
            splits={k: len(v) for k, v in splits.items()},
            num_part_classes=len(rows),
            stale_tmp_files_removed=stale,
            workers=workers,
            seconds=round(elapsed, 3),
            images_per_second=round(converted / elapsed, 2)
            if elapsed > 0 else None)
        atomic_write_bytes(
            osp.join(self.out_dir, 'conversion_report.json'),
            json.dumps(self.report, indent=1).encode())
        return self.report
