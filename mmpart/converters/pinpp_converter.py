# Copyright (c) mmpart contributors. All rights reserved.
"""Convert the PIN++ release into the processed layout mmpart reads.

Output under ``out_dir`` (names from :mod:`mmpart.datasets.layout`)::

    seg/<wnid>/<stem>.png             16-bit global part ids, 0 = background
    obj/<wnid>/<stem>.png             16-bit object ids (``object_masks``)
    img -> <imagenet train folder>    a link (``link_images``)
    annotations/instances_<split>.json
                                      COCO instances for mmdet
                                      (``instances``, see pinpp_instances)
    annotations/Pin++_<split>.json    the same in the official benchmark's
                                      LVIS format (``instance_formats``)
    whether_pseudo/<wnid>.txt         "<stem>.JPEG 0" per converted image
                                      (merged into an existing list)
    splits/{train,val,test}.txt       "<wnid>/<stem>", per class by ratio
    label_space.tsv                   id, wnid, object, part, parent
    conversion_report.json            counts by outcome

Global part ids follow the official order: classes by sorted wnid, each
owning a block of ids sized by the part-count table, one id per category in
the class file's category order. Masks are rasterised with pycocotools,
painting parents before their children (``including/``), otherwise in
annotation order. Every file is written atomically and a rerun skips the
images whose masks exist (with ``instances`` it rasterises them again for
their instances, without rewriting them), so a resumed run ends
byte-identical to an uninterrupted one.
"""
import json
import os
import os.path as osp
import sys
import time
from collections import Counter, OrderedDict
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from mmengine.utils import (track_iter_progress, track_parallel_progress,
                            track_progress)

from mmpart.datasets.label_space import (LabelSpace, imagenet_object_names,
                                         load_part_counts)
from mmpart.datasets.layout import (IMG_DIR, IMG_SUFFIX, SPLIT_NAMES,
                                    PINPPLayout, sample_key, split_sample_key)
from mmpart.datasets.lists import update_pseudo_list
from mmpart.structures import object_map_id
from mmpart.utils.atomic_io import atomic_write_bytes, remove_stale_tmp_files
from .pinpp_class_plan import (ClassFilePlanner, ClassPlan, ProblemLog,
                               image_stem)
from .pinpp_image import CONVERTED, USED, ImageResult, ImageTask, convert_image
from .pinpp_instances import (LVISNumbering, instance_file, lvis_categories,
                              lvis_instance_file)
from .pinpp_release import (CLASS_FILE_DIR, DISCARDED_FILE, OBJECT_NAMES_FILE,
                            read_discarded, read_object_names)

#: Fractions of each class's converted images in train, val and test.
DEFAULT_SPLIT_RATIOS = (0.8, 0.1, 0.1)

#: Examples kept per problem kind in the report.
MAX_EXAMPLES = 20
#: The formats of the instance files: mmpart's COCO files (4310 categories,
#: objects first) and the official benchmark's LVIS format (the parts the
#: release defines, then the objects; see pinpp_instances).
INSTANCE_FORMATS = ('coco', 'lvis')


class PINPPConverter:
    """Plan and run the conversion of a PIN++ release.

    Args:
        release_dir (str): Folder with ``json/``, ``including/`` and
            optionally ``discarded_data.json`` and ``category_name.json``.
        imagenet_train_dir (str): ImageNet-1K train folder
            (``<wnid>/<wnid>_<n>.JPEG``).
        out_dir (str): Output folder.
        part_counts (str, optional): Part-count table; the official one by
            default.
        strict (bool): Make the reported problems errors: part-count
            mismatches, unknown part names in ``including/``, annotations
            of unlisted images or of unknown categories, part or object
            names with a tab or line break.
        object_masks (bool): Also write object masks.
        link_images (bool): Make ``out_dir/img`` a link to the ImageNet
            train folder (the processed layout's ``img/``).
        instances (bool): Also write the instance files of the splits for
            mmdet.
        instance_formats (Sequence[str]): Their formats, among
            :data:`INSTANCE_FORMATS`: ``'coco'`` (the default) writes
            ``annotations/instances_<split>.json``, ``'lvis'``
            ``annotations/Pin++_<split>.json``.
        split_ratios (tuple): Train, val and test fractions per class.
        seed (int): Seed of the per-class split shuffles.

    Raises:
        FileNotFoundError: ``release_dir`` (or its ``json/``) or
            ``imagenet_train_dir`` does not exist; nothing is written.
    """

    def __init__(self,
                 release_dir: str,
                 imagenet_train_dir: str,
                 out_dir: str,
                 part_counts: Optional[str] = None,
                 strict: bool = False,
                 object_masks: bool = False,
                 link_images: bool = False,
                 instances: bool = False,
                 instance_formats: Sequence[str] = INSTANCE_FORMATS[:1],
                 split_ratios: Sequence[float] = DEFAULT_SPLIT_RATIOS,
                 seed: int = 0):
        if len(split_ratios) != 3 or abs(sum(split_ratios) - 1) > 1e-6 or \
                min(split_ratios) < 0:
            raise ValueError('split_ratios must be three non-negative '
                             f'fractions summing to 1, got {split_ratios}')
        unknown = set(instance_formats) - set(INSTANCE_FORMATS)
        if unknown or not instance_formats:
            raise ValueError(f'instance_formats must be among '
                             f'{INSTANCE_FORMATS}, got {instance_formats}')
        # A typo in an input folder would otherwise give an empty output
        # tree and a report of 1000 missing class files.
        for what, path in (('PIN++ release folder', release_dir),
                           ('ImageNet train folder', imagenet_train_dir)):
            if not osp.isdir(path):
                raise FileNotFoundError(f'{what} {path} does not exist')
        if not osp.isdir(osp.join(release_dir, CLASS_FILE_DIR)):
            raise FileNotFoundError(
                f'{release_dir} has no {CLASS_FILE_DIR}/ folder: not a '
                'PIN++ release')
        self.release_dir = release_dir
        self.imagenet_train_dir = imagenet_train_dir
        self.out_dir = out_dir
        self.layout = PINPPLayout(out_dir)
        self.counts = load_part_counts(part_counts)
        self.strict = strict
        self.object_masks = object_masks
        self.link_images = link_images
        self.instances = instances
        self.instance_formats = tuple(instance_formats)
        #: list[int]: The global part ids the release defines (a category
        #: of its class file within the table's count), set by ``plan``.
        self.release_part_ids: List[int] = []
        self.split_ratios = tuple(split_ratios)
        self.seed = seed
        self.report: Dict[str, object] = OrderedDict()
        #: ProblemLog: What was skipped and why, for the report.
        self.log = ProblemLog(strict)
        self.planner = ClassFilePlanner(release_dir, self.log)

    def _object_names(self) -> Dict[str, str]:
        """Object names: the release's where it has them, else ImageNet's."""
        names = dict(imagenet_object_names())
        path = osp.join(self.release_dir, OBJECT_NAMES_FILE)
        if osp.exists(path):
            for wnid, name in read_object_names(path).items():
                names[wnid] = self.planner.writable_name(
                    name, f'{path}: {wnid}')
        return names

    def plan(self) -> Tuple[List[ImageTask], LabelSpace, Counter]:
        """Read the release and make one task per image to convert.

        Class files are read in table order; a missing one is a reported
        problem (its ids are reserved, its parts named ``part<k>``).

        Returns:
            tuple: The tasks, the label space and the image-level counts of
            images skipped while planning (discarded ones).
        """
        discarded_path = osp.join(self.release_dir, DISCARDED_FILE)
        discarded = read_discarded(discarded_path) if osp.exists(
            discarded_path) else set()
        plans = []
        # Reading a full release's class files takes minutes: a bar shows
        # how far it is, as the conversion's does (on sys.stdout as it is
        # now, as print's: mmengine's default is the one at its import).
        print(f'Reading the {len(self.counts)} class files of '
              f'{self.release_dir}')
        for wnid, count in track_iter_progress(
                list(self.counts.items()), file=sys.stdout):
            path = osp.join(self.release_dir, CLASS_FILE_DIR, f'{wnid}.json')
            if osp.exists(path):
                plans.append(
                    self.planner.plan(wnid, count, path, discarded))
            else:
                self.log.record('class_file_missing', path)
        label_space = LabelSpace.from_part_counts(
            self.counts, self._object_names(),
            part_names={p.wnid: p.parts.names for p in plans},
            parents={p.wnid: p.parts.parents for p in plans})
        self.release_part_ids = [
            label_space.part_offsets[plan.wnid] + k for plan in plans
            for k in range(min(len(plan.parts.names), self.counts[plan.wnid]))
        ]
        tasks, planned = [], Counter()
        for plan in plans:
            tasks.extend(self._tasks(plan, label_space))
            planned.update(plan.skipped)
        return tasks, label_space, planned

    def _tasks(self, plan: ClassPlan,
               label_space: LabelSpace) -> List[ImageTask]:
        """Step 5: one task per image, with global ids and output paths."""
        offset = label_space.part_offsets[plan.wnid]
        tasks = []
        for image_id, image in plan.images.items():
            stem = image_stem(image)
            tasks.append(
                ImageTask(
                    key=sample_key(plan.wnid, stem),
                    image_path=osp.join(
                        self.imagenet_train_dir, plan.wnid,
                        osp.basename(str(image['file_name']))),
                    width=image['width'],
                    height=image['height'],
                    annotations=[(offset + index, seg) for index, seg in
                                 plan.annotations[image_id]],
                    seg_path=self.layout.seg_map(plan.wnid, stem),
                    obj_path=self.layout.obj_map(plan.wnid, stem)
                    if self.object_masks else None,
                    object_id=object_map_id(
                        label_space.object_label[plan.wnid]),
                    instances=self.instances))
        return tasks

    def split(self, used_keys: Sequence[str]) -> Dict[str, List[str]]:
        """Split the converted images of each class by the ratios.

        Args:
            used_keys (Sequence[str]): ``<wnid>/<stem>`` of converted images.

        Returns:
            dict[str, list[str]]: Sorted keys for train, val and test.
        """
        by_class: Dict[str, List[str]] = {}
        for key in sorted(used_keys):
            by_class.setdefault(split_sample_key(key)[0], []).append(key)
        train, val, test = SPLIT_NAMES
        splits = {name: [] for name in SPLIT_NAMES}
        class_index = {wnid: i for i, wnid in enumerate(self.counts)}
        for wnid, keys in by_class.items():
            rng = np.random.default_rng([self.seed, class_index[wnid]])
            order = [keys[i] for i in rng.permutation(len(keys))]
            n_val = int(round(len(keys) * self.split_ratios[1]))
            n_test = int(round(len(keys) * self.split_ratios[2]))
            splits[val] += order[:n_val]
            splits[test] += order[n_val:n_val + n_test]
            splits[train] += order[n_val + n_test:]
        return {name: sorted(keys) for name, keys in splits.items()}

    def _write_lists(self, used: Sequence[str]) -> Dict[str, List[str]]:
        """Write the split lists and the pseudo lists of the used images.

        Returns:
            dict[str, list[str]]: The splits.
        """
        splits = self.split(used)
        for name, keys in splits.items():
            atomic_write_bytes(self.layout.split_list(name),
                               ''.join(f'{k}\n' for k in keys).encode())
        flags_by_class: Dict[str, Dict[str, bool]] = {}
        for key in sorted(used):
            wnid, stem = split_sample_key(key)
            # Converted maps are human annotations, never pseudo labels.
            flags_by_class.setdefault(wnid, {})[stem + IMG_SUFFIX] = False
        for wnid, flags in flags_by_class.items():
            # Merged: pseudo labels of other images stay listed.
            update_pseudo_list(self.layout.pseudo_list(wnid), flags)
        return splits

    def _write_instance_files(
            self, splits: Dict[str, List[str]], tasks: Sequence[ImageTask],
            results: Sequence[ImageResult], label_space: LabelSpace
    ) -> Tuple[Optional[dict], Optional[dict]]:
        """Write the instance files of every split in each format.

        Image ids number the used images in key order from 1, so they are
        unique over the splits and the same in both formats.

        Returns:
            tuple: The COCO files' counts by split, and for the LVIS files
            their counts by split (``files``) and their categories
            (``categories``: parts, objects, the label space's part ids
            left out, the count of each frequency group); None for a format
            not written.
        """
        sizes = {task.key: (task.width, task.height) for task in tasks}
        instances = {
            r.key: r.instances
            for r in results if r.outcome in USED
        }
        image_ids = {key: i + 1 for i, key in enumerate(sorted(instances))}
        coco_counts = lvis_report = None
        if 'coco' in self.instance_formats:
            coco_counts = OrderedDict()
            for name, keys in splits.items():
                coco, coco_counts[name] = instance_file(
                    keys, image_ids, sizes, instances, label_space)
                self._write_json(self.layout.instance_file(name), coco)
        if 'lvis' in self.instance_formats:
            numbering = LVISNumbering.from_label_space(
                label_space, self.release_part_ids)
            # Counted on the train split, as LVIS's frequencies.
            categories = lvis_categories(numbering, splits[SPLIT_NAMES[0]],
                                         instances)
            files = OrderedDict()
            for name, keys in splits.items():
                lvis, files[name] = lvis_instance_file(
                    keys, image_ids, sizes, instances, numbering, categories)
                self._write_json(self.layout.lvis_instance_file(name), lvis)
            lvis_report = OrderedDict(
                files=files,
                categories=OrderedDict(
                    parts=len(numbering.part_category),
                    objects=len(numbering.object_category),
                    part_ids_left_out=numbering.left_out,
                    frequency=OrderedDict(
                        sorted(Counter(c['frequency']
                                       for c in categories).items()))))
        return coco_counts, lvis_report

    @staticmethod
    def _write_json(path: str, data: dict) -> None:
        """Write ``data`` as compact JSON, atomically."""
        atomic_write_bytes(path,
                           json.dumps(data, separators=(',', ':')).encode())

    def _convert_images(self, tasks: Sequence[ImageTask],
                        workers: int) -> List[ImageResult]:
        """Convert the images in worker processes, with a progress bar.

        Returns:
            list[ImageResult]: What was done with each, in task order.
        """
        print(f'Converting {len(tasks)} images into {self.out_dir}')
        if workers > 1 and len(tasks) > 1:
            return track_parallel_progress(
                convert_image, tasks, workers, chunksize=8, file=sys.stdout)
        return track_progress(convert_image, tasks, file=sys.stdout)

    def _tally(self, results: Sequence[ImageResult], planned: Counter
               ) -> Tuple[Counter, Counter, List[str]]:
        """Count the outcomes and log the images that were skipped.

        Args:
            results (Sequence[ImageResult]): The images' results.
            planned (Counter): Images skipped while planning.

        Returns:
            tuple: Images by outcome, annotations by outcome and the keys
            of the used images.
        """
        outcomes, ann_stats = Counter(planned), Counter()
        used = []
        for result in results:
            outcomes[result.outcome] += 1
            ann_stats.update(result.stats)
            if result.outcome in USED:
                used.append(result.key)
            else:
                self.log.record(result.outcome, result.key)
        return outcomes, ann_stats, used

    def _link_images(self) -> None:
        """Make ``out_dir/img`` a link to the ImageNet train folder."""
        link = osp.join(self.out_dir, IMG_DIR)
        if not osp.lexists(link):
            os.symlink(osp.abspath(self.imagenet_train_dir), link)

    def run(self, workers: int = 1) -> dict:
        """Convert everything and write the lists and the report.

        Args:
            workers (int): Worker processes for the images.

        Returns:
            dict: The report (also saved as ``conversion_report.json``).
        """
        start = time.time()
        tasks, label_space, planned = self.plan()
        os.makedirs(self.out_dir, exist_ok=True)
        stale = remove_stale_tmp_files(self.out_dir)
        results = self._convert_images(tasks, workers)
        outcomes, ann_stats, used = self._tally(results, planned)
        splits = self._write_lists(used)
        label_space.write(self.layout.label_space)
        instance_counts = lvis_instances = None
        if self.instances:
            instance_counts, lvis_instances = self._write_instance_files(
                splits, tasks, results, label_space)
        if self.link_images:
            self._link_images()

        elapsed = time.time() - start
        converted = outcomes[CONVERTED]
        self.report = OrderedDict(
            images=OrderedDict(sorted(outcomes.items())),
            annotations=OrderedDict(sorted(ann_stats.items())),
            problems=self.log.report(MAX_EXAMPLES),
            splits={k: len(v) for k, v in splits.items()},
            instances=instance_counts,
            lvis_instances=lvis_instances,
            num_part_classes=label_space.num_part_classes,
            stale_tmp_files_removed=stale,
            workers=workers,
            seconds=round(elapsed, 3),
            images_per_second=round(converted / elapsed, 2)
            if elapsed > 0 else None)
        atomic_write_bytes(self.layout.report,
                           json.dumps(self.report, indent=1).encode())
        return self.report
