# Copyright (c) mmpart contributors. All rights reserved.
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmpart.registry import HOOKS


@HOOKS.register_module()
class AdvStepRampHook(Hook):
    """Ramp the adversarial attack step over the warm-up epochs.

    Before each training iteration, sets the model's ``adv_step_scale``
    (see ``AdvImageClassifier``), so the attack grows from almost nothing
    to full strength while the learning rate warms up:

    - per iteration (``by_epoch=False``): ``min(1, (iter + 1) /
      warmup_iters)``;
    - per epoch (``by_epoch=True``): ``min(epoch, warmup_epochs) /
      warmup_epochs``, the official PartImageNet++ training's ramp: the
      first epoch attacks with step 0 (its examples are the PGD random
      start alone), the second with half the step (for 2 warm-up epochs).

    Args:
        warmup_epochs (float): Length of the ramp in epochs. Defaults to 2.
        by_epoch (bool): Ramp in whole-epoch steps. Defaults to False.
    """
    priority = 'NORMAL'

    def __init__(self, warmup_epochs: float = 2, by_epoch: bool = False):
        self.warmup_epochs = warmup_epochs
        self.by_epoch = by_epoch

    def before_train_iter(self, runner, batch_idx: int, data_batch=None):
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        if self.warmup_epochs <= 0:
            model.adv_step_scale = 1.0
        elif self.by_epoch:
            model.adv_step_scale = min(runner.epoch,
                                       self.warmup_epochs) / self.warmup_epochs
        else:
            warmup_iters = self.warmup_epochs * len(runner.train_dataloader)
            model.adv_step_scale = min(1.0, (runner.iter + 1) / warmup_iters)
