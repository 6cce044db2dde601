# Copyright (c) mmpart contributors. All rights reserved.
"""Whether a checkpoint's weights cover a model, and the error when not.

mmengine loads a checkpoint with ``strict=False``: a checkpoint of another
model (another number of classes, a segmenter's) loads without an error,
only a log line lists what did not match, and the model keeps its initial
weights. :func:`check_checkpoint_coverage` refuses that unless partial
loading is asked for explicitly: ``get_model(..., allow_partial=True)``,
``tools/test.py --allow-partial-checkpoint``, or ``allow_partial_checkpoint
= True`` in a config whose models load other models' checkpoints on purpose
(the few-shot episodic classifiers score any classifier's checkpoint by its
``backbone.*`` weights).

Weights the checkpoint has and the model does not (an MPM's part bypass
loaded into a plain classifier) are reported but do not fail the check:
what the model needs is all there.
"""
import logging
from collections import OrderedDict
from typing import Dict, List, NamedTuple, Tuple

import torch
import torch.nn as nn
from mmengine.logging import print_log

from .checkpoint_weights import strip_module_prefix

#: The config key that allows partial loading in ``tools/test.py``.
ALLOW_PARTIAL_KEY = 'allow_partial_checkpoint'
#: How many keys of each kind a message names.
SHOWN = 3


class PartialCheckpointError(ValueError):
    """A checkpoint does not hold every weight of the model it loads into."""


class CheckpointCoverage(NamedTuple):
    """How a checkpoint's weights match a model's.

    Attributes:
        total (int): The model's weights (``state_dict`` entries).
        matched (int): Those the checkpoint has, with the same shape.
        missing (list[str]): Model weights the checkpoint lacks.
        mismatched (list[tuple[str, tuple, tuple]]): Weights in both with
            another shape: key, checkpoint shape, model shape.
        unexpected (list[str]): Checkpoint weights the model lacks.
    """
    total: int
    matched: int
    missing: List[str]
    mismatched: List[Tuple[str, tuple, tuple]]
    unexpected: List[str]

    @property
    def complete(self) -> bool:
        """Every model weight is in the checkpoint, with its shape."""
        return not self.missing and not self.mismatched

    def describe(self) -> str:
        """The counts and the first keys of each kind, for messages."""
        parts = [f'{self.matched} of the model\'s {self.total} weights '
                 'matched']
        if self.missing:
            parts.append(f'{len(self.missing)} missing (first: '
                         f'{self.missing[:SHOWN]})')
        if self.mismatched:
            shown = [f'{k}: checkpoint {tuple(c)}, model {tuple(m)}'
                     for k, c, m in self.mismatched[:SHOWN]]
            parts.append(f'{len(self.mismatched)} of another shape (first: '
                         f'{shown})')
        if self.unexpected:
            parts.append(f'{len(self.unexpected)} unexpected (first: '
                         f'{self.unexpected[:SHOWN]})')
        return '; '.join(parts)


def loaded_state_dict(checkpoint: dict) -> 'OrderedDict[str, torch.Tensor]':
    """The weights mmengine's loaders put into a model: ``state_dict`` (or
    the checkpoint itself), keys without a leading ``module.``.

    This mirrors mmengine 0.10.7's ``_load_checkpoint_to_model`` (with its
    default ``revise_keys``), which has no public form; it is not a choice
    between raw and EMA weights (see :func:`~mmpart.utils.checkpoint_weights`
    for that).

    Args:
        checkpoint (dict): A loaded checkpoint.

    Returns:
        OrderedDict[str, Tensor]: The weights.
    """
    return strip_module_prefix(checkpoint.get('state_dict', checkpoint))


def checkpoint_coverage(model: nn.Module,
                        state_dict: Dict[str, torch.Tensor]
                        ) -> CheckpointCoverage:
    """Compare a state dict's weights with a model's.

    BatchNorm's ``num_batches_tracked`` is left out, as mmengine's
    ``load_state_dict`` leaves it out of the missing keys (older checkpoints
    lack it).

    Args:
        model (nn.Module): The model (unwrapped).
        state_dict (dict[str, Tensor]): The weights to load.

    Returns:
        CheckpointCoverage: The comparison.
    """
    own = {
        k: v
        for k, v in model.state_dict().items()
        if not k.endswith('num_batches_tracked')
    }
    missing, mismatched, matched = [], [], 0
    for key, value in own.items():
        if key not in state_dict:
            missing.append(key)
        elif not isinstance(state_dict[key], torch.Tensor) or \
                state_dict[key].shape != value.shape:
            mismatched.append((key, tuple(getattr(state_dict[key], 'shape',
                                                  ())), tuple(value.shape)))
        else:
            matched += 1
    unexpected = [
        k for k in state_dict
        if k not in own and not k.endswith('num_batches_tracked')
    ]
    return CheckpointCoverage(len(own), matched, missing, mismatched,
                              unexpected)


def check_checkpoint_coverage(model: nn.Module,
                              checkpoint: dict,
                              filename: str,
                              allow_partial: bool = False
                              ) -> CheckpointCoverage:
    """Refuse a checkpoint whose weights do not cover the model.

    Args:
        model (nn.Module): The model it loads into (unwrapped).
        checkpoint (dict): The loaded checkpoint.
        filename (str): Its file or URL, for messages.
        allow_partial (bool): Load a checkpoint that covers the model only
            in part (the gaps are logged as a warning instead).

    Returns:
        CheckpointCoverage: The comparison.

    Raises:
        PartialCheckpointError: Some model weight is missing from the
            checkpoint or has another shape there, and ``allow_partial`` is
            False.
    """
    coverage = checkpoint_coverage(model, loaded_state_dict(checkpoint))
    if coverage.complete:
        return coverage
    message = (f'{filename} does not cover the {type(model).__name__} it '
               f'loads into: {coverage.describe()}.')
    if not allow_partial:
        raise PartialCheckpointError(
            f'{message} Is it the checkpoint of another model? To load it '
            'partly on purpose (the rest keeps its initial weights), pass '
            'allow_partial=True (tools/test.py: --allow-partial-checkpoint; '
            f'a config: {ALLOW_PARTIAL_KEY} = True).')
    print_log(f'{message} Loaded partly, as allowed.', logger='current',
              level=logging.WARNING)
    return coverage
