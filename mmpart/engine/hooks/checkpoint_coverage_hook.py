# Copyright (c) mmpart contributors. All rights reserved.
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmpart.registry import HOOKS
from mmpart.utils.checkpoint_coverage import (ALLOW_PARTIAL_KEY,
                                              check_checkpoint_coverage)


@HOOKS.register_module()
class CheckpointCoverageHook(Hook):
    """Refuse a checkpoint (``load_from``, ``resume``) whose weights do not
    cover the runner's model, before the runner loads it.

    mmengine's runner loads with ``strict=False``, so a checkpoint of another
    model would be tested with the model's initial weights; see
    :func:`~mmpart.utils.checkpoint_coverage.check_checkpoint_coverage`.

    Args:
        allow_partial (bool): Load a checkpoint that covers the model only
            in part, with a warning. Defaults to False.

    Examples:
        >>> custom_hooks = [dict(type='CheckpointCoverageHook')]
    """

    priority = 'VERY_HIGH'

    def __init__(self, allow_partial: bool = False):
        self.allow_partial = allow_partial

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Check the loaded checkpoint against the model.

        Args:
            runner (Runner): The runner.
            checkpoint (dict): The checkpoint it is about to load.
        """
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        source = runner.cfg.get('load_from') or 'the checkpoint'
        check_checkpoint_coverage(model, checkpoint, source,
                                  self.allow_partial)


def add_checkpoint_coverage_hook(cfg: Config,
                                 allow_partial: bool = False) -> None:
    """Add :class:`CheckpointCoverageHook` to a config's ``custom_hooks``.

    Args:
        cfg (Config): The runner config (changed in place).
        allow_partial (bool): Allow partial loading; it is also allowed when
            the config sets ``allow_partial_checkpoint = True``.
    """
    allow_partial = allow_partial or bool(cfg.get(ALLOW_PARTIAL_KEY, False))
    cfg.custom_hooks = list(cfg.get('custom_hooks', None) or []) + [
        dict(type='mmpart.CheckpointCoverageHook',
             allow_partial=allow_partial)
    ]
