# Copyright (c) mmpart contributors. All rights reserved.
"""Map a checkpoint of the paper's own MPM implementation to mmpart.

The official model keeps a timm ResNet-50 under ``segmenter.`` (``conv1``,
``bn1``, ``layer1``-``layer4``, an unused ``fc``), the bypass as ``cp1``-
``cp3`` (compact 1x1 conv + BN), ``up_layer1``/``up_layer2`` (top-down
separable convs) and ``segmenter_head1``-``segmenter_head3``, and the final
linear layer as ``classifer.2``; the weights sit under ``state_dict_ema``
(EMA), ``state_dict`` or ``model`` (raw), maybe with a ``module.`` prefix
(:func:`mmpart.utils.checkpoint_weights` takes them out).

The index of each bypass module in the official code is not documented, so
each is matched to an mmpart module by its tensor shapes (a compact layer by
its input width, a top-down layer or head by its depthwise width), and the
tensors inside a module by their order and shapes.
"""
import re
from collections import OrderedDict
from typing import Dict, List, Tuple

_GROUPS = (('cp', 'bypass.compact'), ('up_layer', 'bypass.up'),
           ('segmenter_head', 'bypass.heads'))


def _modules(weights: Dict, pattern: str) -> Dict[str, List[Tuple]]:
    """Group ``(key, tensor)`` pairs by the module name matching pattern."""
    groups: Dict[str, List[Tuple]] = OrderedDict()
    for key, value in weights.items():
        match = re.match(pattern, key)
        if match:
            groups.setdefault(match.group(1), []).append((key, value))
    return groups


def _signature(entries: List[Tuple]) -> Tuple:
    return tuple(tuple(v.shape) for _, v in entries)


def convert_official_mpm(weights: Dict, target: Dict) -> OrderedDict:
    """Rename official MPM weights to the keys of an mmpart ``MPMClassifier``.

    Args:
        weights (dict): Official weights (see
            :func:`mmpart.utils.checkpoint_weights`).
        target (dict): The state dict of the ``MPMClassifier`` to load into
            (its keys and shapes guide the bypass matching).

    Returns:
        OrderedDict: The converted state dict, with every key of ``target``.
    """
    converted = OrderedDict()
    for key, value in weights.items():
        if key.startswith('segmenter.') and \
                not key.startswith('segmenter.fc.'):
            converted['backbone.' + key[len('segmenter.'):]] = value
        elif key.startswith('classifer.2.'):
            converted['head.fc.' + key[len('classifer.2.'):]] = value
    for official_prefix, mmpart_prefix in _GROUPS:
        theirs = _modules(weights, rf'({official_prefix}\d+)\.')
        ours = _modules(target, rf'({re.escape(mmpart_prefix)}\.\d+)\.')
        free = dict(ours)
        for name, entries in theirs.items():
            match = [m for m, e in free.items()
                     if _signature(e) == _signature(entries)]
            if len(match) != 1:
                raise ValueError(
                    f'official {name} (shapes {_signature(entries)}) matches '
                    f'{len(match)} mmpart modules among {list(free)}')
            for (_, value), (key, _) in zip(entries, free.pop(match[0])):
                converted[key] = value
        if free:
            raise ValueError(f'no official weights for {list(free)}')
    missing = [k for k in target if k not in converted]
    if missing:
        raise ValueError(f'official checkpoint lacks {missing[:10]} '
                         f'({len(missing)} keys)')
    for key, value in converted.items():
        if key in target and tuple(target[key].shape) != tuple(value.shape):
            raise ValueError(f'{key}: official shape {tuple(value.shape)} '
                             f'!= mmpart {tuple(target[key].shape)}')
    return OrderedDict((k, converted[k]) for k in target)
