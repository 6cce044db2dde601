# Copyright (c) mmpart contributors. All rights reserved.
"""Let ``torch.load(weights_only=True)`` read mmengine checkpoints, and
say clearly what it refuses.

Since torch 2.6 ``torch.load`` defaults to ``weights_only=True``, and mmengine
0.10.7 calls it without the argument, so ``--resume`` fails on the non-tensor
objects a runner checkpoint holds (the message hub's ``HistoryBuffer``, numpy
arrays and scalars). Instead of switching the check off, this module adds
exactly those types to torch's allow-list. Anything else, in particular an
arbitrary pickled object or callable, is still refused by torch; the
loader below replaces mmengine's local-file checkpoint loader (which
``load_from``, ``resume`` and ``init_cfg=dict(type='Pretrained')`` all use)
with one that reports such a refusal as :class:`UnsafeCheckpointError`.
Both take effect when :func:`~mmpart.utils.enable_verified_checkpoint_loaders`
is called, not on import.
"""
import pickle
import re
from typing import Any, Callable, List, Optional, Tuple, Union

import numpy as np
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import \
    load_from_local as mmengine_load_from_local

SafeGlobal = Union[Callable, Tuple[Callable, str]]


def history_buffer_getattr(obj: Any, name: str) -> Callable:
    """A ``getattr`` that only returns ``HistoryBuffer`` statistics methods.

    A pickled ``HistoryBuffer`` stores its statistics methods (``min``,
    ``max``, ``mean``, ...) as ``getattr(HistoryBuffer, name)``. The builtin
    ``getattr`` cannot be allow-listed, since chained calls reach any module
    global, so checkpoints get this restricted stand-in under its name.

    Args:
        obj (Any): The object the pickle asks an attribute of.
        name (str): The attribute name.

    Returns:
        Callable: The registered statistics method ``name``.
    """
    # The built-in statistics join `_statistics_methods` only when the first
    # HistoryBuffer is made, which may not have happened in this process.
    statistics = dict(
        min=HistoryBuffer.min,
        max=HistoryBuffer.max,
        current=HistoryBuffer.current,
        mean=HistoryBuffer.mean)
    statistics.update(HistoryBuffer._statistics_methods)
    if obj is not HistoryBuffer or name not in statistics:
        raise torch.serialization.pickle.UnpicklingError(
            f'Refusing getattr({obj!r}, {name!r}) while loading a checkpoint: '
            'only HistoryBuffer statistics methods '
            f'{sorted(statistics)} are allowed.')
    return statistics[name]


def mmengine_checkpoint_globals() -> List[SafeGlobal]:
    """List the globals an mmengine runner checkpoint needs.

    Numpy pickles name their helpers ``numpy.core.multiarray.*`` under
    numpy 1 and ``numpy._core.multiarray.*`` under numpy 2; both spellings are
    mapped so checkpoints from either load.

    Returns:
        list: Entries for :func:`torch.serialization.add_safe_globals`.
    """
    multiarray = np.core.multiarray
    safe: List[SafeGlobal] = [
        HistoryBuffer,
        np.ndarray,
        np.dtype,
        (history_buffer_getattr, 'builtins.getattr'),
    ]
    for prefix in ('numpy.core.multiarray', 'numpy._core.multiarray'):
        safe.append((multiarray.scalar, f'{prefix}.scalar'))
        safe.append((multiarray._reconstruct, f'{prefix}._reconstruct'))
    # numpy >= 1.25 may pickle a dtype through its class, e.g. Float64DType.
    for dtype in (np.bool_, np.int32, np.int64, np.float16, np.float32,
                  np.float64, np.uint8):
        safe.append(type(np.dtype(dtype)))
    return safe


def register_checkpoint_safe_globals() -> None:
    """Add :func:`mmengine_checkpoint_globals` to torch's allow-list.

    Called by :func:`~mmpart.utils.enable_verified_checkpoint_loaders`;
    calling it again does nothing new.
    """
    torch.serialization.add_safe_globals(mmengine_checkpoint_globals())


class UnsafeCheckpointError(pickle.UnpicklingError):
    """A checkpoint holds an object that mmpart will not unpickle.

    Args:
        filename (str): The checkpoint.
        refused (str, optional): The global torch's unpickler refused
            (``module.Name``), if the refusal names one.
        reason (str): What the unpickler refused, in its words.
    """

    def __init__(self, filename: str, refused: Optional[str], reason: str):
        self.filename = filename
        self.refused = refused
        what = (f'`{refused}`' if refused is not None else
                f'an object that the unpickler refused ({reason})')
        super().__init__(
            f'{filename}: the checkpoint holds {what}, which mmpart will '
            'not unpickle. Checkpoints are read with torch\'s weights-only '
            'unpickler: tensors, containers, numbers and strings, plus the '
            'types of mmengine runner checkpoints that mmpart allow-lists '
            '(HistoryBuffer, numpy arrays and scalars); unpickling any other '
            'object could run arbitrary code. Save the checkpoint without '
            'it, e.g. only the weights and plain metadata.')


def _refusal(error: pickle.UnpicklingError) -> Tuple[Optional[str], str]:
    """The global an unpickling error names, and the unpickler's message.

    torch wraps the unpickler's own error in a long message (raised ``from
    None``, so the original stays in ``__context__``).
    """
    reason = str(error.__context__ or error).splitlines()[0]
    match = re.search(r'GLOBAL (\S+)', reason)
    return (match.group(1) if match else None), reason


def load_from_local(filename: str, map_location=None) -> Any:
    """mmengine's local-file checkpoint loader, with refusals explained.

    Registered in place of mmengine's own for every path without a scheme
    by :func:`~mmpart.utils.enable_verified_checkpoint_loaders`.

    Args:
        filename (str): The checkpoint file.
        map_location (str, optional): As in :func:`torch.load`.

    Returns:
        dict | OrderedDict: The loaded checkpoint.

    Raises:
        UnsafeCheckpointError: The checkpoint holds an object outside the
            allow-list.
    """
    try:
        return mmengine_load_from_local(filename, map_location)
    except pickle.UnpicklingError as error:
        refused, reason = _refusal(error)
        raise UnsafeCheckpointError(filename, refused, reason) from None
