# Copyright (c) mmpart contributors. All rights reserved.
"""Choose the model weights inside a loaded checkpoint: the raw trained
model's or the EMA (averaged) ones, as the caller asks.

The layouts mmpart reads:

- an mmengine runner checkpoint written with ``EMAHook``: the hook swaps
  the two before saving (``EMAHook.before_save_checkpoint``), so
  ``state_dict`` holds the averaged model and ``ema_state_dict`` the raw one
  (``module.<key>`` entries plus ``steps``);
- an mmengine runner checkpoint without ``EMAHook``, a published zoo file
  or a bare state dict: raw weights only;
- a checkpoint of the paper's own code (timm style): ``state_dict_ema``
  holds the averaged model, ``state_dict`` or ``model`` the raw one.

A leading ``module.`` (a DDP wrapper's) is stripped from every key, as
mmengine's ``load_checkpoint`` does.
"""
from collections import OrderedDict
from typing import Dict, Optional

import torch

#: The prefix of a wrapped model's keys: ``ExponentialMovingAverage.module``
#: in an ``ema_state_dict``, DDP's ``module`` in other checkpoints.
MODULE_PREFIX = 'module.'
#: Where the raw weights sit, in the order they are looked for.
RAW_KEYS = ('state_dict', 'model')
#: The official (timm-style) EMA weights.
OFFICIAL_EMA_KEY = 'state_dict_ema'


class CheckpointWeightsError(ValueError):
    """A checkpoint does not hold the weights asked for."""


def has_ema_weights(checkpoint: dict) -> bool:
    """Whether a loaded checkpoint holds EMA weights besides the raw ones.

    Args:
        checkpoint (dict): The loaded file.

    Returns:
        bool: It has EMAHook's ``ema_state_dict`` or the official
        ``state_dict_ema``.
    """
    return 'ema_state_dict' in checkpoint or isinstance(
        checkpoint.get(OFFICIAL_EMA_KEY), dict)


def strip_module_prefix(
        weights: Dict) -> 'OrderedDict[str, torch.Tensor]':
    """``weights`` with a leading ``module.`` (a DDP wrapper's) taken off
    every key, as mmengine's ``load_checkpoint`` does.

    Args:
        weights (dict[str, Tensor]): A state dict.

    Returns:
        OrderedDict[str, Tensor]: The same weights in the same order, with
        the state dict's ``_metadata`` (modules read their version from it).
    """
    stripped = OrderedDict(
        (k[len(MODULE_PREFIX):] if k.startswith(MODULE_PREFIX) else k, v)
        for k, v in weights.items())
    stripped._metadata = getattr(weights, '_metadata', OrderedDict())
    return stripped


def _raw_state_dict(checkpoint: dict) -> Optional[Dict]:
    """The weights under ``state_dict`` / ``model``, or the checkpoint
    itself if it is a bare state dict; None if neither."""
    for key in RAW_KEYS:
        if isinstance(checkpoint.get(key), dict):
            return checkpoint[key]
    if checkpoint and all(
            isinstance(v, torch.Tensor) for v in checkpoint.values()):
        return checkpoint
    return None


def _unswap_ema_hook(state_dict: Dict, ema_state: Dict,
                     filename: str) -> 'OrderedDict[str, torch.Tensor]':
    """The raw weights of an ``EMAHook`` checkpoint: its ``ema_state_dict``
    entries, in ``state_dict`` order (keys the average does not hold are the
    same in both)."""
    raw = {
        key[len(MODULE_PREFIX):]: value
        for key, value in ema_state.items() if key.startswith(MODULE_PREFIX)
    }
    unknown = sorted(set(raw) - set(state_dict))
    if unknown:
        raise CheckpointWeightsError(
            f'{filename}: `ema_state_dict` has weights that `state_dict` '
            f'lacks ({unknown[:5]}); it was not written by EMAHook for this '
            'model.')
    return OrderedDict(
        (key, raw.get(key, value)) for key, value in state_dict.items())


def checkpoint_weights(checkpoint: dict,
                       ema: bool,
                       filename: str = 'the checkpoint'
                       ) -> 'OrderedDict[str, torch.Tensor]':
    """The raw or the EMA model weights of a loaded checkpoint.

    Args:
        checkpoint (dict): The loaded file, in one of the layouts of this
            module's docstring.
        ema (bool): Take the averaged (EMA) weights; False takes the raw
            trained model's.
        filename (str): The file, for messages.

    Returns:
        OrderedDict[str, Tensor]: The weights, keys without a leading
        ``module.``.

    Raises:
        CheckpointWeightsError: The checkpoint holds no model weights,
            ``ema`` is asked of one without EMA weights, or its EMA weights
            do not match its model.

    Examples:
        >>> import torch
        >>> checkpoint = dict(state_dict=dict(w=torch.zeros(1)), meta={})
        >>> list(checkpoint_weights(checkpoint, ema=False))
        ['w']
        >>> has_ema_weights(checkpoint)  # so ema=True raises
        False
    """
    if not isinstance(checkpoint, dict):
        raise CheckpointWeightsError(
            f'{filename} holds a {type(checkpoint).__name__}, not a '
            'checkpoint dict')
    state_dict = _raw_state_dict(checkpoint)
    if state_dict is None and not (ema and isinstance(
            checkpoint.get(OFFICIAL_EMA_KEY), dict)):
        raise CheckpointWeightsError(
            f'{filename} holds no model weights: none of '
            f'{list(RAW_KEYS)} and not a bare state dict (its keys: '
            f'{sorted(checkpoint)})')
    if 'ema_state_dict' in checkpoint:
        # EMAHook swapped the two before saving: `state_dict` is the average.
        if ema:
            return strip_module_prefix(state_dict)
        return strip_module_prefix(
            _unswap_ema_hook(state_dict, checkpoint['ema_state_dict'],
                             filename))
    if not ema:
        return strip_module_prefix(state_dict)
    if not has_ema_weights(checkpoint):
        raise CheckpointWeightsError(
            f'{filename} has no EMA weights (neither EMAHook\'s '
            f'`ema_state_dict` nor `{OFFICIAL_EMA_KEY}`): it was not '
            'trained with an EMA. Take its raw weights (ema=False).')
    return strip_module_prefix(checkpoint[OFFICIAL_EMA_KEY])
