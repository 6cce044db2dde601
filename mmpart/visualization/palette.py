# Copyright (c) mmpart contributors. All rights reserved.
from typing import List

import numpy as np


def random_palette(num_classes: int, seed: int = 0) -> List[List[int]]:
    """A fixed random palette with black for class 0 (the background).

    Thousands of part classes have no hand-made palette; a seeded one gives
    every class the same colour in every dataset, tool and run. Channels
    are drawn from 40 to 255, so no part is as dark as the background.

    Args:
        num_classes (int): Number of classes, the background included.
        seed (int): The seed. Defaults to 0.

    Returns:
        list[list[int]]: One ``[c0, c1, c2]`` colour per class.

    Examples:
        >>> palette = random_palette(3311)
        >>> len(palette), palette[0]
        (3311, [0, 0, 0])
    """
    colours = np.random.default_rng(seed).integers(
        40, 256, size=(num_classes, 3))
    colours[0] = 0
    return colours.tolist()
