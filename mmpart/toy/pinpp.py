# Copyright (c) mmpart contributors. All rights reserved.
"""Procedural PIN++ data in the release shape, for tests and toy runs.

Each class is an object made of parts: a body of a class-specific shape and
colour, parts attached to it (head, tail, fin, legs, ...) and parts lying
inside another part (eye inside head, spot inside body, ...). Classes come
in pairs that share body shape and colours and differ in their parts, so
the class is learnable from shape, colour and part layout together; the
parts are visible because each has its own colour. A part inside another
is written to ``including/`` as ``child:parent``, like the release.

Layout written under ``out_dir``::

    release/json/<wnid>.json           one-line COCO JSON, polygon parts
    release/including/<wnid>.txt       child:parent, CRLF line endings
    release/category_name.json         {wnid: {"object": ..., "parts": [...]}}
    release/discarded_data.json        {wnid: [file_name, ...]}
    train/<wnid>/<wnid>_<n>.JPEG       annotated (n <= A) and unannotated
    val/<wnid>/ILSVRC2012_val_<k>.JPEG
    meta/train.txt, meta/val.txt       "<wnid>/<file> <label>"
    meta/classes.txt                   wnids, one a line, label order
    meta/part_counts.tsv               the toy classes' rows of the table
    toy_pinpp.json                     the generation parameters
"""
import io
import json
import math
import os
import os.path as osp
from dataclasses import asdict, dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple, Union

import cv2
import numpy as np
from PIL import Image

from mmpart.converters.pinpp_release import (CLASS_FILE_DIR, DISCARDED_FILE,
                                             INCLUSION_DIR, OBJECT_NAMES_FILE)
from mmpart.datasets.label_space import imagenet_object_names, load_part_counts

# Unit shapes as (N, 2) vertex arrays inside [-1, 1]^2.
_ELLIPSE_STEPS = 24
UNIT_SHAPES: Dict[str, np.ndarray] = {
    'ellipse':
    np.array([[math.cos(a), math.sin(a)]
              for a in np.linspace(0, 2 * math.pi, _ELLIPSE_STEPS,
                                   endpoint=False)]),
    'rect':
    np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], dtype=float),
    'triangle':
    np.array([[0, -1], [1, 1], [-1, 1]], dtype=float),
    'diamond':
    np.array([[0, -1], [1, 0], [0, 1], [-1, 0]], dtype=float),
    'hexagon':
    np.array([[math.cos(a), math.sin(a)]
              for a in np.linspace(0, 2 * math.pi, 6, endpoint=False)]),
}
BODY_SHAPES = ('ellipse', 'rect', 'diamond', 'hexagon', 'triangle')

# Part templates: (name, how it is placed, direction in degrees, size
# relative to its anchor, copies). 'attached' parts sit on the anchor's
# boundary, overlapping it slightly; 'inside' parts lie within the anchor.
PART_TEMPLATES = (
    ('head', 'attached', 0, 0.55, 1),
    ('tail', 'attached', 180, 0.45, 1),
    ('fin', 'attached', -90, 0.4, 1),
    ('leg', 'attached', 90, 0.3, 2),
    ('eye', 'inside', 0, 0.3, 1),
    ('spot', 'inside', 0, 0.35, 1),
)
# Centre of the largest circle inside each unit shape, where inside parts go.
INCENTERS = {'triangle': (0.0, 0.382)}
#: Chance that :func:`render_instance` leaves out a leaf part.
LEAF_HIDE_PROB = 0.1


@dataclass
class PartSpec:
    """One part category of a toy class.

    Args:
        name (str): The part name.
        shape (str): A key of :data:`UNIT_SHAPES`.
        anchor (int): Index of the part it is placed relative to (-1 for
            the body itself).
        inside (bool): Whether it lies inside its anchor (a child part).
        center (tuple): Centre in object units, body at the origin.
        half_size (tuple): Half width and height in object units.
        hsv (tuple): Colour (OpenCV hue 0-179, saturation, value).
        copies (int): Polygons per instance (e.g. two legs).
    """
    name: str
    shape: str
    anchor: int
    inside: bool
    center: Tuple[float, float]
    half_size: Tuple[float, float]
    hsv: Tuple[int, int, int]
    copies: int = 1


@dataclass
class ClassSpec:
    """A toy object class.

    Args:
        wnid (str): ImageNet wnid.
        name (str): Object name.
        parts (list[PartSpec]): Its parts in category order, parents first.
    """
    wnid: str
    name: str
    parts: List[PartSpec] = field(default_factory=list)

    def inclusions(self) -> List[Tuple[str, str]]:
        """The ``(child, parent)`` name pairs of parts lying inside others."""
        return [(p.name, self.parts[p.anchor].name) for p in self.parts
                if p.inside and p.anchor >= 0]


def select_toy_classes(num_classes: int, min_parts: int,
                       max_parts: int) -> List[Tuple[str, int, str]]:
    """Pick real wnids whose official part count is in range.

    Args:
        num_classes (int): How many classes.
        min_parts (int): Fewest parts.
        max_parts (int): Most parts (the templates allow up to 7).

    Returns:
        list[tuple]: ``(wnid, part count, object name)`` in sorted order.
    """
    if not 1 <= min_parts <= max_parts <= len(PART_TEMPLATES) + 1:
        raise ValueError(f'parts must satisfy 1 <= {min_parts} <= '
                         f'{max_parts} <= {len(PART_TEMPLATES) + 1}')
    chosen = []
    names = imagenet_object_names()
    for wnid, count in load_part_counts().items():
        if min_parts <= count <= max_parts:
            chosen.append((wnid, count, names[wnid]))
        if len(chosen) == num_classes:
            return chosen
    raise ValueError(f'only {len(chosen)} classes have {min_parts} to '
                     f'{max_parts} parts; asked for {num_classes}')


def make_class_spec(index: int,
                    num_classes: int,
                    wnid: str,
                    name: str,
                    num_parts: int,
                    seed: int,
                    templates: Sequence[tuple] = PART_TEMPLATES) -> ClassSpec:
    """Design class ``index``: body shape, colours and part layout.

    Args:
        index (int): Class index among the toy classes.
        num_classes (int): Number of toy classes (spreads the hues).
        wnid (str): The class wnid.
        name (str): The object name.
        num_parts (int): Part categories, the body included.
        seed (int): Dataset seed.
        templates (Sequence[tuple]): The part templates to draw the parts
            from, as :data:`PART_TEMPLATES` (with ``'head'`` before
            ``'eye'``); at least ``num_parts - 1`` of them. Defaults to
            :data:`PART_TEMPLATES`.

    Returns:
        ClassSpec: The class design.
    """
    # Classes come in pairs sharing body shape and colours, so telling the
    # two apart takes their parts (which and where), not colour alone.
    group, num_groups = index // 2, (num_classes + 1) // 2
    hue = int(round(group * 180 / num_groups)) % 180
    aspect = np.random.default_rng([seed, group, 8]).uniform(0.6, 1.0)
    rng = np.random.default_rng([seed, index, 7])
    body = PartSpec('body', BODY_SHAPES[group % len(BODY_SHAPES)], -1,
                    False, (0.0, 0.0), (1.0, aspect), (hue, 200, 200))
    spec = ClassSpec(wnid, name, [body])
    pool = list(templates)
    attached = [t for t in pool if t[1] == 'attached']
    # Like the release, only some classes have parts inside other parts.
    if index % 3 == 2 and num_parts - 1 <= len(attached):
        pool = attached
    templates = [pool[i]
                 for i in sorted(rng.permutation(len(pool))[:num_parts - 1])]
    # Eye and spot both inside the body (no head) sit side by side.
    names = [t[0] for t in templates]
    slots = {'eye': -0.3, 'spot': 0.3} if 'head' not in names and \
        'eye' in names and 'spot' in names else {}
    for part_name, placement, direction, rel, copies in templates:
        inside = placement == 'inside'
        anchor = 0
        if part_name == 'eye':
            heads = [i for i, p in enumerate(spec.parts) if p.name == 'head']
            anchor = heads[0] if heads else 0
        ax, ay = spec.parts[anchor].center
        arx, ary = spec.parts[anchor].half_size
        rx, ry = rel * arx, rel * ary * rng.uniform(0.8, 1.2)
        if inside:
            ix, iy = INCENTERS.get(spec.parts[anchor].shape, (0.0, 0.0))
            if part_name in slots:
                ix += slots[part_name]
                rx, ry = 0.75 * rx, 0.75 * ry
            cx = ax + (ix + rng.uniform(-0.08, 0.08)) * arx
            cy = ay + (iy + rng.uniform(-0.08, 0.08)) * ary
        else:
            angle = math.radians(direction + rng.uniform(-20, 20))
            # 0.8: the part overlaps its anchor's edge a little.
            cx = ax + math.cos(angle) * (arx + 0.8 * rx)
            cy = ay + math.sin(angle) * (ary + 0.8 * ry)
        # Hues spread around the circle and alternating brightness keep
        # every part of a class distinct from the others.
        k = len(spec.parts)
        part_hue = (hue + k * 180 // num_parts) % 180
        hsv = (part_hue, int(rng.integers(170, 256)),
               230 if k % 2 else 130)
        shape = BODY_SHAPES[int(rng.integers(len(BODY_SHAPES)))]
        spec.parts.append(
            PartSpec(part_name, shape, anchor, inside, (cx, cy), (rx, ry),
                     hsv, copies))
    return spec


def _part_polygons(part: PartSpec, scale: float, angle: float,
                   origin: np.ndarray) -> List[np.ndarray]:
    """Image-space polygons of one part instance."""
    cx, cy = part.center
    offsets = [(0.0, 0.0)]
    if part.copies == 2:
        offsets = [(-1.2 * part.half_size[0], 0.0),
                   (1.2 * part.half_size[0], 0.0)]
    rot = np.array([[math.cos(angle), -math.sin(angle)],
                    [math.sin(angle), math.cos(angle)]])
    polygons = []
    for dx, dy in offsets:
        local = UNIT_SHAPES[part.shape] * np.array(part.half_size)
        local = local + np.array([cx + dx, cy + dy])
        polygons.append(local @ rot.T * scale + origin)
    return polygons


def _background(rng: np.random.Generator, height: int,
                width: int) -> np.ndarray:
    """A low-saturation gradient with noise, as uint8 BGR."""
    start, end = rng.integers(60, 200, size=(2, 3))
    # Half the gradients run along the rows, half along the columns.
    along_rows = rng.random() < 0.5
    t = np.linspace(0, 1, width if along_rows else height)[:, None, None]
    grad = start + (end - start) * t
    if along_rows:
        grad = grad.transpose(1, 0, 2)
    img = np.broadcast_to(grad, (height, width, 3)) + rng.normal(
        0, 8, (height, width, 3))
    return np.clip(img, 0, 255).astype(np.uint8)


def render_instance(
        spec: ClassSpec,
        rng: np.random.Generator,
        size: Union[int, Tuple[int, int]],
        hide_prob: float = LEAF_HIDE_PROB) -> Tuple[np.ndarray, List[dict]]:
    """Draw one image of class ``spec`` and its part polygons.

    The object is scaled to the shorter side, so it fits any aspect ratio.

    Args:
        spec (ClassSpec): The class.
        rng (np.random.Generator): Randomness for this image.
        size (int | tuple[int, int]): Image side, or ``(height, width)``,
            in pixels.
        hide_prob (float): Chance that each leaf part (one with no part
            inside it) is left out, as real parts are often hidden; 0 draws
            every part. Defaults to :data:`LEAF_HIDE_PROB`.

    Returns:
        tuple: The BGR uint8 image and, per visible part, a dict with
        ``category`` (index into ``spec.parts``) and ``polygons`` (list of
        (N, 2) float arrays, clipped to the image).
    """
    height, width = (size, size) if isinstance(size, int) else size
    extent = np.array([width, height])
    img = _background(rng, height, width)
    scale = min(height, width) * rng.uniform(0.17, 0.23)
    angle = math.radians(rng.uniform(-20, 20))
    origin = extent / 2 + rng.uniform(-0.1, 0.1, size=2) * extent
    has_child = {p.anchor for p in spec.parts if p.anchor >= 0}
    parts = []
    for index, part in enumerate(spec.parts):
        # Sometimes a leaf part is hidden, as real parts often are.
        if index > 0 and index not in has_child and \
                rng.random() < hide_prob:
            continue
        polygons = [
            np.clip(poly, 0, extent) for poly in _part_polygons(
                part, scale, angle, origin)
        ]
        hue = (part.hsv[0] + int(rng.integers(-5, 6))) % 180
        value = int(np.clip(part.hsv[2] + rng.integers(-20, 21), 40, 255))
        bgr = cv2.cvtColor(
            np.uint8([[[hue, part.hsv[1], value]]]), cv2.COLOR_HSV2BGR)[0, 0]
        # Sub-pixel fill (shift=4) so the drawing follows the polygon.
        cv2.fillPoly(img, [np.round(p * 16).astype(np.int32)
                           for p in polygons], bgr.tolist(), cv2.LINE_AA, 4)
        parts.append(dict(category=index, polygons=polygons))
    return img, parts


def _coco_annotation(ann_id: int, image_id: int, category_id: int,
                     polygons: List[np.ndarray]) -> dict:
    """A COCO annotation dict with flat polygons, area and bbox."""
    points = np.concatenate(polygons)
    x0, y0 = points.min(0)
    x1, y1 = points.max(0)
    area = sum(0.5 * abs(np.dot(p[:, 0], np.roll(p[:, 1], 1)) -
                         np.dot(p[:, 1], np.roll(p[:, 0], 1)))
               for p in polygons)
    return dict(
        id=ann_id,
        image_id=image_id,
        category_id=category_id,
        segmentation=[[round(float(v), 2) for v in p.reshape(-1)]
                      for p in polygons],
        area=round(float(area), 2),
        bbox=[round(float(v), 2) for v in (x0, y0, x1 - x0, y1 - y0)],
        iscrowd=0)


def write_image(path: str, img: np.ndarray, quirk: Optional[str]) -> None:
    """Write ``img`` (BGR) as a JPEG, or with a real-world quirk.

    Quirks: ``'grayscale'`` (1-channel JPEG), ``'cmyk'`` (CMYK JPEG) and
    ``'png'`` (PNG bytes behind the ``.JPEG`` name).
    """
    os.makedirs(osp.dirname(path), exist_ok=True)
    if quirk == 'cmyk':
        buf = io.BytesIO()
        rgb = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
        Image.fromarray(rgb).convert('CMYK').save(buf, 'JPEG', quality=92)
        data = buf.getvalue()
    elif quirk == 'png':
        data = cv2.imencode('.png', img)[1].tobytes()
    else:
        if quirk == 'grayscale':
            img = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
        data = cv2.imencode('.jpg', img,
                            [cv2.IMWRITE_JPEG_QUALITY, 92])[1].tobytes()
    with open(path, 'wb') as f:
        f.write(data)


QUIRKS = ('grayscale', 'cmyk', 'png')


def find_existing_set(out_dir: str, stamp_name: str, params: dict,
                      overwrite: bool) -> Optional[dict]:
    """Check ``out_dir`` before a generator writes a set into it.

    A generator writes its stamp, ``params`` plus what it made, last: a
    stamp means a complete set.

    Args:
        out_dir (str): The output folder.
        stamp_name (str): The generator's stamp file name.
        params (dict): The generation arguments.
        overwrite (bool): Whether a set made with other arguments may be
            replaced.

    Returns:
        dict | None: The stamp if ``out_dir`` holds the set made with
        ``params`` (nothing to write), else None (write it).
    """
    stamp = osp.join(out_dir, stamp_name)
    if osp.exists(stamp):
        with open(stamp) as f:
            done = json.load(f)
        if {k: done.get(k) for k in params} == params:
            return done
        if not overwrite:
            raise FileExistsError(
                f'{out_dir} holds a set made with other arguments '
                f'({stamp}); pass overwrite=True (--overwrite) to replace it')
    elif osp.isdir(out_dir) and os.listdir(out_dir) and not overwrite:
        raise FileExistsError(f'{out_dir} is not empty and holds no '
                              f'{stamp_name}; choose another folder')
    return None


def make_set_dirs(out_dir: str) -> str:
    """Make the release folders and ``meta/`` of a set.

    Args:
        out_dir (str): The set's folder.

    Returns:
        str: Its release folder.
    """
    release = osp.join(out_dir, 'release')
    for sub in (CLASS_FILE_DIR, INCLUSION_DIR):
        os.makedirs(osp.join(release, sub), exist_ok=True)
    os.makedirs(osp.join(out_dir, 'meta'), exist_ok=True)
    return release


def add_annotated_image(coco: dict, file_name: str, height: int, width: int,
                        parts: List[dict], rng: np.random.Generator) -> None:
    """Add an image and its parts to a class file's COCO dict.

    Image ids run 1..N in the order images are added, like the release.

    Args:
        coco (dict): The class file, with ``images`` and ``annotations``.
        file_name (str): ``<wnid>/<file>``.
        height (int): Image height.
        width (int): Image width.
        parts (list[dict]): The parts :func:`render_instance` returned.
        rng (np.random.Generator): Shuffles the annotations, so parents need
            not come first (the converter must order them itself).
    """
    image_id = len(coco['images']) + 1
    coco['images'].append(
        dict(id=image_id, width=width, height=height, file_name=file_name))
    annotations = coco['annotations']
    for k in rng.permutation(len(parts)):
        part = parts[k]
        annotations.append(
            _coco_annotation(
                len(annotations) + 1, image_id, part['category'] + 1,
                part['polygons']))


def write_class_files(release: str, spec: ClassSpec, coco: dict,
                      final_newline: bool) -> None:
    """Write a class's ``json/<wnid>.json`` and ``including/<wnid>.txt``.

    Args:
        release (str): The release folder.
        spec (ClassSpec): The class.
        coco (dict): Its ``images`` and ``annotations``; the categories are
            the class's parts.
        final_newline (bool): Whether the inclusion file ends with a line
            end (some release files do, some do not).
    """
    categories = [
        dict(id=i + 1, name=p.name, supercategory=spec.name)
        for i, p in enumerate(spec.parts)
    ]
    coco = dict(images=coco['images'], annotations=coco['annotations'],
                categories=categories)
    with open(osp.join(release, CLASS_FILE_DIR, f'{spec.wnid}.json'),
              'w') as f:
        f.write(json.dumps(coco, separators=(',', ':')))
    inclusions = spec.inclusions()
    if inclusions:
        text = '\r\n'.join(f'{c}:{p}' for c, p in inclusions)
        if final_newline:
            text += '\r\n'
        with open(osp.join(release, INCLUSION_DIR, f'{spec.wnid}.txt'),
                  'w', newline='') as f:
            f.write(text)


def write_set_index(out_dir: str, specs: Sequence[ClassSpec],
                    train_lines: Sequence[str], val_lines: Sequence[str],
                    discarded: Dict[str, List[str]]) -> None:
    """Write a set's release-wide files and its ``meta/`` lists.

    Args:
        out_dir (str): The set's folder.
        specs (Sequence[ClassSpec]): The classes in label order.
        train_lines (Sequence[str]): ``<wnid>/<file> <label>`` lines of
            ``meta/train.txt``.
        val_lines (Sequence[str]): The same of ``meta/val.txt``.
        discarded (dict[str, list[str]]): ``discarded_data.json``.
    """

    def write(rel_path: str, text: str) -> None:
        with open(osp.join(out_dir, rel_path), 'w') as f:
            f.write(text)

    category_names = {
        s.wnid: dict(object=s.name, parts=[p.name for p in s.parts])
        for s in specs
    }
    write(osp.join('release', OBJECT_NAMES_FILE),
          json.dumps(category_names, indent=1))
    write(osp.join('release', DISCARDED_FILE), json.dumps(discarded, indent=1))
    write('meta/train.txt', '\n'.join(train_lines) + '\n')
    write('meta/val.txt', '\n'.join(val_lines) + '\n')
    write('meta/classes.txt', '\n'.join(s.wnid for s in specs) + '\n')
    write('meta/part_counts.tsv', 'wnid\tnum_parts\n' + ''.join(
        f'{s.wnid}\t{len(s.parts)}\n' for s in specs))


def write_stamp(out_dir: str, stamp_name: str, done: dict) -> None:
    """Write a set's stamp, last: its presence means the set is complete.

    Args:
        out_dir (str): The set's folder.
        stamp_name (str): The generator's stamp file name.
        done (dict): The generation arguments and what was made.
    """
    with open(osp.join(out_dir, stamp_name), 'w') as f:
        f.write(json.dumps(done, indent=1))


def write_toy_train_images(out_dir: str, spec: ClassSpec, label: int,
                           seed: int, image_size: int, total: int,
                           annotated: int, quirk: Optional[str]
                           ) -> Tuple[dict, List[str]]:
    """Render and write a class's train images, ``<wnid>_<n>.JPEG`` from 1;
    the first ``annotated`` ones get part annotations.

    Args:
        out_dir (str): The set's folder.
        spec (ClassSpec): The class.
        label (int): Its label; with ``seed`` and ``n`` it seeds image n.
        seed (int): The set's seed.
        image_size (int): Square image side.
        total (int): Images to write.
        annotated (int): How many of them are annotated.
        quirk (str, optional): How image 1 is written (:data:`QUIRKS`).

    Returns:
        tuple: The class file's ``images`` and ``annotations`` (a dict) and
        the class's ``meta/train.txt`` lines.
    """
    coco = dict(images=[], annotations=[])
    lines = []
    for n in range(1, total + 1):
        rng = np.random.default_rng([seed, label, n, 1])
        img, parts = render_instance(spec, rng, image_size)
        file_name = f'{spec.wnid}/{spec.wnid}_{n}.JPEG'
        write_image(osp.join(out_dir, 'train', file_name), img,
                    quirk if n == 1 else None)
        lines.append(f'{file_name} {label}')
        if n <= annotated:
            add_annotated_image(coco, file_name, image_size, image_size,
                                parts, rng)
    return coco, lines


def write_toy_val_images(out_dir: str, spec: ClassSpec, label: int,
                         seed: int, image_size: int, first: int,
                         count: int) -> List[str]:
    """Render and write a class's val images, named as ImageNet's val
    images, ``ILSVRC2012_val_<index>.JPEG`` from index ``first``.

    Args:
        out_dir (str): The set's folder.
        spec (ClassSpec): The class.
        label (int): Its label; with ``seed`` and the index it seeds each
            image.
        seed (int): The set's seed.
        image_size (int): Square image side.
        first (int): Index of the first image (val indices run over the
            classes).
        count (int): Images to write.

    Returns:
        list[str]: The class's ``meta/val.txt`` lines.
    """
    lines = []
    for index in range(first, first + count):
        rng = np.random.default_rng([seed, label, index, 2])
        img, _ = render_instance(spec, rng, image_size)
        file_name = f'{spec.wnid}/ILSVRC2012_val_{index:08d}.JPEG'
        write_image(osp.join(out_dir, 'val', file_name), img, None)
        lines.append(f'{file_name} {label}')
    return lines


#: The toy generator's stamp.
TOY_STAMP = 'toy_pinpp.json'


def make_toy_pinpp(out_dir: str,
                   num_classes: int = 10,
                   min_parts: int = 2,
                   max_parts: int = 5,
                   image_size: int = 96,
                   annotated_per_class: int = 20,
                   unannotated_per_class: int = 30,
                   val_per_class: int = 10,
                   seed: int = 0,
                   quirks: bool = False,
                   overwrite: bool = False) -> dict:
    """Write a toy PIN++ release with ImageNet-style images.

    Deterministic in its arguments. If ``out_dir`` already holds a toy set
    made with the same arguments nothing is written; a different one is an
    error unless ``overwrite``.

    Args:
        out_dir (str): Output folder.
        num_classes (int): Object classes. Defaults to 10.
        min_parts (int): Fewest part categories per class. Defaults to 2.
        max_parts (int): Most part categories per class. Defaults to 5.
        image_size (int): Square image side. Defaults to 96.
        annotated_per_class (int): Train images with part annotations.
            Defaults to 20.
        unannotated_per_class (int): Extra train images without annotations.
            Defaults to 30.
        val_per_class (int): Val images. Defaults to 10.
        seed (int): Random seed. Defaults to 0.
        quirks (bool): Make the first annotated image of three classes a
            grayscale JPEG, a CMYK JPEG and a PNG named ``.JPEG``, and list one
            annotated image per class in ``discarded_data.json``.
            Defaults to False.
        overwrite (bool): Replace a toy set made with other arguments.

    Returns:
        dict: The generation parameters plus ``classes`` (wnids) and
        ``quirk_files`` (file name to quirk).
    """
    params = dict(
        num_classes=num_classes,
        min_parts=min_parts,
        max_parts=max_parts,
        image_size=image_size,
        annotated_per_class=annotated_per_class,
        unannotated_per_class=unannotated_per_class,
        val_per_class=val_per_class,
        seed=seed,
        quirks=quirks)
    done = find_existing_set(out_dir, TOY_STAMP, params, overwrite)
    if done is not None:
        return done

    classes = select_toy_classes(num_classes, min_parts, max_parts)
    specs = [
        make_class_spec(i, num_classes, wnid, name, count, seed)
        for i, (wnid, count, name) in enumerate(classes)
    ]
    release = make_set_dirs(out_dir)
    quirk_files: Dict[str, str] = {}
    train_lines, val_lines, discarded = [], [], {}
    total = annotated_per_class + unannotated_per_class
    for label, spec in enumerate(specs):
        wnid = spec.wnid
        quirk = QUIRKS[label] if quirks and label < len(QUIRKS) and total \
            else None
        if quirk:
            quirk_files[f'{wnid}/{wnid}_1.JPEG'] = quirk
        coco, lines = write_toy_train_images(out_dir, spec, label, seed,
                                             image_size, total,
                                             annotated_per_class, quirk)
        train_lines += lines
        # Like the release, some inclusion files end without a line end.
        write_class_files(release, spec, coco, final_newline=label % 2 == 0)
        if quirks and annotated_per_class > 1:
            discarded[wnid] = [f'{wnid}/{wnid}_{annotated_per_class}.JPEG']
        val_lines += write_toy_val_images(out_dir, spec, label, seed,
                                          image_size,
                                          label * val_per_class + 1,
                                          val_per_class)

    write_set_index(out_dir, specs, train_lines, val_lines, discarded)
    done = dict(params, classes=[s.wnid for s in specs],
                class_specs=[asdict(s) for s in specs],
                quirk_files=quirk_files)
    write_stamp(out_dir, TOY_STAMP, done)
    return done
