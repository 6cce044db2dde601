# Copyright (c) mmpart contributors. All rights reserved.
"""The value conventions of the 16-bit part and object maps, defined once.

A part map holds global part ids (0 the background, then the label
space's parts); an object map holds the image's object id on its parts
(0 elsewhere). Both mark ignored pixels with :data:`MAP_IGNORE_INDEX`.
The converter and the pseudo labeller write them, the datasets, losses
and metrics read them: all take the values from here, and
:func:`check_ids` is the one rule for which ids a map may hold.
"""
from typing import Sequence, Union

import numpy as np
import torch

#: A map of ids, as the datasets load it (numpy, e.g. uint16) or as models
#: and metrics hold it (a tensor).
IdMap = Union[torch.Tensor, np.ndarray]

#: Ignore value of the 16-bit maps: part ids reach 3310, past mmseg's 255,
#: so the maps are 16-bit and the ignore value is their largest one.
MAP_IGNORE_INDEX = 65535


def object_map_id(object_label: int) -> int:
    """The id of an object in object maps and instance categories.

    The object label (the class's index in the label space) plus one,
    since 0 is the background.

    Args:
        object_label (int): The object label.

    Returns:
        int: Its id.

    Examples:
        >>> object_map_id(0)
        1
    """
    return object_label + 1


def as_ids(ids: IdMap) -> torch.Tensor:
    """An id map as an int64 tensor (numpy uint16 maps included).

    Args:
        ids (Tensor | np.ndarray): A map of ids.

    Returns:
        Tensor: The ids as int64 (``ids`` itself if already an int64
        tensor).
    """
    if isinstance(ids, torch.Tensor):
        return ids.long()
    return torch.from_numpy(np.asarray(ids, dtype=np.int64))


def check_ids(ids: IdMap, num_classes: int, ignore_index: int,
              source: Union[str, Sequence[str]]) -> None:
    """Refuse an id that is neither a class nor ``ignore_index``.

    mmseg's histograms drop such ids silently, and a loss would gather
    out of range: the metrics, the pseudo-label scores, the part data
    preprocessor and the part loss all refuse them by this rule.

    Args:
        ids (Tensor | np.ndarray): A map of class ids, or a stack of maps
            ``(N, ...)`` when ``source`` names each.
        num_classes (int): Number of classes (ids ``0 .. num_classes-1``).
        ignore_index (int): The ignore value.
        source (str | Sequence[str]): The map's name in the error (its
            file), or one name per map of the stack: checking a batch at
            once costs one pass over it, and the error still names the map
            (the first one holding a bad id).

    Raises:
        ValueError: Naming the map and its first bad id.

    Examples:
        >>> import torch
        >>> maps = torch.tensor([[[0, 1]], [[65535, 7]]])
        >>> check_ids(maps, 3, 65535, ['a.png', 'b.png'])
        Traceback (most recent call last):
        ...
        ValueError: b.png holds part id 7, neither a class (below ...
    """
    ids = as_ids(ids)
    bad = (ids != ignore_index) & ((ids < 0) | (ids >= num_classes))
    if not bad.any():
        return
    if not isinstance(source, str):
        first = int(bad.flatten(1).any(1).nonzero()[0])
        ids, bad, source = ids[first], bad[first], source[first]
    raise ValueError(f'{source} holds part id {int(ids[bad][0])}, neither a '
                     f'class (below num_classes={num_classes}) nor the '
                     f'ignore index {ignore_index}')
