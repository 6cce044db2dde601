# Copyright (c) mmpart contributors. All rights reserved.
import math

from mmengine.optim import CosineAnnealingLR

from mmpart.registry import PARAM_SCHEDULERS


@PARAM_SCHEDULERS.register_module()
class CosineAnnealingFromStartLR(CosineAnnealingLR):
    """Cosine annealing whose phase counts from step 0, not from ``begin``:
    timm's ``CosineLRScheduler`` after its warm-up.

    timm (``warmup_prefix=False``, as the official PartImageNet++ training
    uses it) overrides the first ``warmup_t`` updates with a linear warm-up
    and afterwards gives ``eta_min + (base - eta_min) * (1 + cos(pi * t /
    T_max)) / 2`` at update ``t`` counted from the start of training, so
    the cosine enters at ``t = warmup_t`` slightly below the base value.
    mmengine's ``CosineAnnealingLR(begin=warmup_t)`` instead restarts the
    phase at ``begin`` (``cos(pi * (t - begin) / (end - begin))``), a
    curve up to 4% of the lr off (80 epochs, 2 warm-up). Pair this with a
    ``LinearLR`` over ``[0, begin)``.

    The value is the closed form of the global step (``begin`` plus the
    steps taken since), from the scheduler's base value (the optimizer's
    ``initial_lr``), so it does not depend on what the warm-up left in the
    optimizer.

    Args:
        optimizer (Optimizer | OptimWrapper): The optimizer.
        T_max (int): Length of the half period from step 0 (the whole run:
            timm's ``t_initial``). Converted to iterations with ``begin``
            and ``end`` when ``convert_to_iter_based``.
        eta_min (float): The final value. Defaults to 0.
        **kwargs: ``CosineAnnealingLR`` arguments (``begin``, ``end``,
            ``by_epoch``, ``convert_to_iter_based``, ...).

    Examples:
        >>> # timm: cosine over 80 epochs per update, 2 warm-up epochs
        >>> # from warmup_lr 1e-3, min_lr 1e-2, base lr 0.2
        >>> param_scheduler = [
        ...     dict(type='LinearLR', start_factor=1e-3 / 0.2, by_epoch=True,
        ...          begin=0, end=2, convert_to_iter_based=True),
        ...     dict(type='CosineAnnealingFromStartLR', T_max=80,
        ...          eta_min=1e-2, by_epoch=True, begin=2, end=80,
        ...          convert_to_iter_based=True)]
    """

    def __init__(self, optimizer, T_max: int, eta_min: float = 0.,
                 **kwargs):
        # Required: mmengine's default (``end - begin``) is the restarted
        # phase this class exists to avoid.
        super().__init__(optimizer, T_max=T_max, eta_min=eta_min, **kwargs)

    def _get_value(self) -> list:
        """The lr of each param group at the current global step.

        Returns:
            list[float]: One value per param group.
        """
        phase = math.pi * (self.begin + self.last_step) / self.T_max
        return [
            self.eta_min + (base - self.eta_min) * (1 + math.cos(phase)) / 2
            for base in self.base_values
        ]
