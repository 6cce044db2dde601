# Copyright (c) mmpart contributors. All rights reserved.
"""Random boxes and their rectangle masks: the synthetic instances of the
evaluation benchmarks and tests (COCO and LVIS format alike)."""
import numpy as np
import pycocotools.mask as mask_utils


def random_box(rng: np.random.Generator, image_size: int,
               min_side: int = 4) -> list:
    """A random box inside a square image.

    Args:
        rng (np.random.Generator): The random generator.
        image_size (int): The image's side.
        min_side (int): The shortest side a box may have. Defaults to 4.

    Returns:
        list[int]: ``[x, y, w, h]``, sides in ``[min_side, image_size)``.
    """
    w, h = rng.integers(min_side, image_size, size=2)
    x = rng.integers(0, image_size - w + 1)
    y = rng.integers(0, image_size - h + 1)
    return [int(x), int(y), int(w), int(h)]


def box_rle(box: list, image_size: int) -> dict:
    """The compressed RLE of a box's rectangle, as a JSON annotation or
    result holds it (``counts`` a str, so it can be written as JSON).

    Args:
        box (list[int]): ``[x, y, w, h]``.
        image_size (int): The side of the square image.

    Returns:
        dict: ``size`` and ``counts``.
    """
    mask = np.zeros((image_size, image_size), np.uint8)
    x, y, w, h = box
    mask[y:y + h, x:x + w] = 1
    rle = mask_utils.encode(np.asfortranarray(mask))
    return dict(size=rle['size'], counts=rle['counts'].decode())
