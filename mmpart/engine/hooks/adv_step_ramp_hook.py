# Copyright (c) mmpart contributors. All rights reserved.
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmpart.registry import HOOKS


@HOOKS.register_module()
class AdvStepRampHook(Hook):
    """Ramp the adversarial attack step linearly over the warm-up epochs.

    Before each training iteration, sets the model's ``adv_step_scale``
    (see ``AdvImageClassifier``) to ``min(1, (iter + 1) / warmup_iters)``,
    so the attack grows from almost nothing to full strength while the
    learning rate warms up.

    Args:
        warmup_epochs (float): Length of the ramp in epochs. Defaults to 2.
    """
    priority = 'NORMAL'

    def __init__(self, warmup_epochs: float = 2):
        self.warmup_epochs = warmup_epochs

    def before_train_iter(self, runner, batch_idx: int, data_batch=None):
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        warmup_iters = self.warmup_epochs * len(runner.train_dataloader)
        model.adv_step_scale = 1.0 if warmup_iters <= 0 else min(
            1.0, (runner.iter + 1) / warmup_iters)
