# Copyright (c) mmpart contributors. All rights reserved.
"""Planning the PIN++ conversion of one class file: read and check it, name
its parts, order them by the inclusions and group its annotations by image.

What cannot be skipped raises :class:`PINPPFormatError`; what can is recorded
in a :class:`ProblemLog` (an error there too where the conversion is strict).
"""
import os.path as osp
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from typing import Dict, List, Tuple

from mmpart.datasets.label_space import label_space_field
from .pinpp_release import (INCLUSION_DIR, PINPPFormatError, inclusion_depths,
                            read_inclusions, read_json)


class ProblemLog:
    """The problems of a conversion by kind, counted and reported.

    Args:
        strict (bool): Make the problems :meth:`problem` records errors.
    """

    def __init__(self, strict: bool = False):
        self.strict = strict
        #: dict[str, list[str]]: The messages of each kind, in order.
        self.messages: Dict[str, List[str]] = OrderedDict()

    def record(self, kind: str, message: str) -> None:
        """Record a problem that is a counted skip even when strict (a
        missing class file, an image that cannot be converted)."""
        self.messages.setdefault(kind, []).append(message)

    def problem(self, kind: str, message: str) -> None:
        """Record a problem of the release's format: a counted skip, or a
        :class:`PINPPFormatError` when strict."""
        if self.strict:
            raise PINPPFormatError(message)
        self.record(kind, message)

    def report(self, max_examples: int) -> 'OrderedDict[str, dict]':
        """The report's ``problems``: ``count`` and the first
        ``max_examples`` messages of each kind."""
        return OrderedDict(
            (kind, dict(count=len(v), examples=v[:max_examples]))
            for kind, v in self.messages.items())


def image_stem(image: dict) -> str:
    """The stem of a class file image's ``file_name``.

    Args:
        image (dict): The image entry.

    Returns:
        str: Its file name without folder and suffix.
    """
    return osp.splitext(osp.basename(str(image['file_name'])))[0]


@dataclass
class ClassFile:
    """A class file, read and checked (planning step 1).

    Args:
        wnid (str): The class.
        path (str): The file, named in messages.
        categories (list[dict]): Its categories, in file order.
        images (OrderedDict): Its images by image id, in file order.
        annotations (list[dict]): Its annotations, in file order.
    """
    wnid: str
    path: str
    categories: List[dict]
    images: 'OrderedDict[object, dict]'
    annotations: List[dict]


@dataclass
class ClassParts:
    """The parts of a class (planning steps 2 and 3).

    Args:
        names (list[str]): Part names in category order.
        position (dict): Part index (position in the category list) by
            category id; ids may start at 0 or 1, positions do not.
        parents (dict[str, str]): Parent by part name, for parts inside
            another (``including/``).
        depths (dict[str, int]): Depth in the inclusion forest by part
            name; parts are painted by increasing depth.
    """
    names: List[str]
    position: Dict[object, int]
    parents: Dict[str, str] = field(default_factory=dict)
    depths: Dict[str, int] = field(default_factory=dict)


@dataclass
class ClassPlan:
    """A class ready to become tasks (planning step 4).

    Args:
        wnid (str): The class.
        parts (ClassParts): Its parts.
        images (OrderedDict): Its images to convert by image id (discarded
            ones left out).
        annotations (dict): ``(part index, segmentation)`` pairs in paint
            order by image id.
        skipped (Counter): What planning skipped: discarded images and
            annotations of categories beyond the table's count.
    """
    wnid: str
    parts: ClassParts
    images: 'OrderedDict[object, dict]'
    annotations: Dict[object, List[Tuple[int, object]]]
    skipped: Counter


class ClassFilePlanner:
    """Plan the class files of a release, one at a time (:meth:`plan`).

    Args:
        release_dir (str): The release, whose ``including/`` it reads.
        log (ProblemLog): Where the skipped problems go.
    """

    def __init__(self, release_dir: str, log: ProblemLog):
        self.release_dir = release_dir
        self.log = log

    def plan(self, wnid: str, count: int, path: str,
             discarded: set) -> ClassPlan:
        """Plan one class file, step by step.

        Args:
            wnid (str): The class.
            count (int): Its part count in the table.
            path (str): Its class file.
            discarded (set): Stems of the discarded images.

        Returns:
            ClassPlan: The class, ready to become tasks.
        """
        class_file = self._read_class_file(wnid, path)
        parts = self._class_parts(class_file, count)
        self._add_inclusions(class_file, parts)
        skipped = Counter()
        annotations = self._annotations_by_image(class_file, parts, count,
                                                 skipped)
        images = OrderedDict()
        for image_id, image in class_file.images.items():
            if image_stem(image) in discarded:
                skipped['discarded'] += 1
            else:
                images[image_id] = image
        return ClassPlan(wnid, parts, images, annotations, skipped)

    def _read_class_file(self, wnid: str, path: str) -> ClassFile:
        """Step 1: read a class file and check its structure and images."""
        coco = read_json(path)
        if not isinstance(coco, dict):
            raise PINPPFormatError(f'{path}: not a JSON object')
        for key in ('images', 'annotations', 'categories'):
            if not isinstance(coco.get(key), list):
                raise PINPPFormatError(f'{path}: no "{key}" list')
        images = OrderedDict()
        for image in coco['images']:
            image_id = image.get('id')
            if image_id in images:
                raise PINPPFormatError(
                    f'{path}: image id {image_id} repeated')
            file_name = image.get('file_name')
            if not file_name or not image_stem(image):
                raise PINPPFormatError(
                    f'{path}: image {image_id} has no file_name')
            if not isinstance(image.get('width'), int) or \
                    not isinstance(image.get('height'), int):
                raise PINPPFormatError(
                    f'{path}: image {image_id} ({file_name}) has no '
                    'integer width and height')
            images[image_id] = image
        return ClassFile(wnid, path, coco['categories'], images,
                         coco['annotations'])

    def _class_parts(self, class_file: ClassFile, count: int) -> ClassParts:
        """Step 2: part names and the part index of each category id."""
        categories = class_file.categories
        names = [
            self.writable_name(
                str(c.get('name', f'part{i + 1}')),
                f'{class_file.path}: category {c.get("id")}')
            for i, c in enumerate(categories)
        ]
        position = {}
        for i, cat in enumerate(categories):
            if cat.get('id') in position:
                raise PINPPFormatError(f'{class_file.path}: category id '
                                       f'{cat.get("id")} repeated')
            position[cat.get('id')] = i
        if len(categories) != count:
            self.log.problem(
                'part_count_mismatch',
                f'{class_file.path}: {len(categories)} categories, the '
                f'part-count table says {count}')
        return ClassParts(names, position)

    def _add_inclusions(self, class_file: ClassFile,
                        parts: ClassParts) -> None:
        """Step 3: parents (``including/``) and paint depths of the parts.
        """
        path = osp.join(self.release_dir, INCLUSION_DIR,
                        f'{class_file.wnid}.txt')
        relations = []
        if osp.exists(path):
            for child, parent in read_inclusions(path):
                # Named as the parts are (see writable_name).
                child, parent = map(label_space_field, (child, parent))
                if child in parts.names and parent in parts.names:
                    relations.append((child, parent))
                else:
                    self.log.problem(
                        'inclusion_unknown_part',
                        f'{path}: "{child}:{parent}" names a part that is '
                        f'not in {class_file.path}')
        parts.parents = dict(relations)
        parts.depths = inclusion_depths(parts.names, relations, path)

    def _annotations_by_image(
            self, class_file: ClassFile, parts: ClassParts, count: int,
            skipped: Counter) -> Dict[object, List[Tuple[int, object]]]:
        """Step 4: each image's ``(part index, segmentation)`` pairs in
        paint order: parents first, annotation order among equals.

        Annotations of unlisted images or unknown categories are reported
        problems; those of categories beyond the table's count are counted
        in ``skipped`` (``annotation_beyond_table``).
        """
        by_image: Dict[object, list] = {i: [] for i in class_file.images}
        for ann in class_file.annotations:
            where = f'{class_file.path}: annotation {ann.get("id")}'
            if ann.get('image_id') not in by_image:
                self.log.problem(
                    'annotation_unknown_image',
                    f'{where} refers to image {ann.get("image_id")}, which '
                    'is not listed')
                continue
            if ann.get('category_id') not in parts.position:
                self.log.problem(
                    'annotation_unknown_category',
                    f'{where} has category_id {ann.get("category_id")}, '
                    f'not one of {sorted(parts.position, key=str)}')
                continue
            index = parts.position[ann['category_id']]
            if index >= count:
                skipped['annotation_beyond_table'] += 1
                continue
            by_image[ann['image_id']].append(
                (index, ann.get('segmentation')))
        for anns in by_image.values():
            # A stable sort keeps the annotation order among equal depths.
            anns.sort(key=lambda a: parts.depths[parts.names[a[0]]])
        return by_image

    def writable_name(self, name: str, where: str) -> str:
        """``name`` as ``label_space.tsv`` can hold it.

        A tab or line break in it is a reported problem
        (``name_with_separator``) and becomes a space
        (:func:`label_space_field`).

        Args:
            name (str): A part or object name of the release.
            where (str): Where it is, for the report.

        Returns:
            str: The name to write.
        """
        writable = label_space_field(name)
        if writable != name:
            self.log.problem(
                'name_with_separator',
                f'{where}: name {name!r} has a tab or line break, which '
                f'label_space.tsv cannot hold; written as {writable!r}')
        return writable
