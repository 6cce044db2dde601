# Copyright (c) mmpart contributors. All rights reserved.
"""Run a GPU recipe on a machine without an accelerator."""
from typing import Any, List

from mmengine.config import Config
from mmengine.device import get_device


def _replace_sync_bn(node: Any) -> int:
    """Turn every ``norm_cfg`` of type ``SyncBN`` under ``node`` into
    ``BN``, in place.

    Returns:
        int: How many were replaced.
    """
    count = 0
    if isinstance(node, dict):
        norm = node.get('norm_cfg')
        if isinstance(norm, dict) and norm.get('type') == 'SyncBN':
            norm['type'] = 'BN'
            count += 1
        for value in node.values():
            count += _replace_sync_bn(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            count += _replace_sync_bn(value)
    return count


def fit_config_to_device(cfg: Config) -> List[str]:
    """Make a training config that needs a GPU run on the CPU, in place.

    The recipes are written for GPUs: mmengine's ``AmpOptimWrapper``
    asserts that CUDA (or NPU / MLU / MUSA) is present, and ``SyncBN``
    layers refuse CPU tensors in training. On a machine without any of
    them the optimizer wrapper becomes a plain ``OptimWrapper`` (fp32,
    the loss scale dropped) and ``SyncBN`` becomes ``BN``, which is what
    SyncBN computes on one process. On a machine with an accelerator
    nothing changes.

    Args:
        cfg (Config): A training config (``optim_wrapper``, ``model``).

    Returns:
        list[str]: One line per change, for the caller to show; empty
        when nothing changed.
    """
    if get_device() != 'cpu':
        return []
    changes = []
    wrapper = cfg.get('optim_wrapper') or {}
    if wrapper.get('type') == 'AmpOptimWrapper':
        wrapper['type'] = 'OptimWrapper'
        for key in ('loss_scale', 'dtype', 'use_fsdp'):
            wrapper.pop(key, None)
        changes.append('no GPU: AmpOptimWrapper (mixed precision) needs '
                       'one, so this run trains in fp32 with OptimWrapper')
    replaced = _replace_sync_bn(cfg.get('model') or {})
    if replaced:
        changes.append(f'no GPU: {replaced} SyncBN norm_cfg(s) need one in '
                       'training, so this run uses BN (the same on one '
                       'process)')
    return changes
