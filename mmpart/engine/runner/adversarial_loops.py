# Copyright (c) mmpart contributors. All rights reserved.
from typing import Sequence

import torch
import torch.nn.functional as F
from mmengine.model import is_model_wrapper
from mmengine.runner import TestLoop, ValLoop

from mmpart.models.attacks import pgd_linf
from mmpart.registry import LOOPS


class _AdversarialEvalMixin:
    """Run each batch clean and under L-inf PGD; samples get both results.

    Each data sample keeps its clean ``pred_label`` / ``pred_score`` and
    gains ``adv_pred_label`` / ``adv_pred_score``: predictions on PGD
    examples made against the cross-entropy of the true label, in [0, 1]
    pixel space, with the model in eval mode. ``RobustAccuracy`` scores
    them.
    """

    def _init_attack(self, eps: float, steps: int, step_size: float,
                     random_start: bool) -> None:
        self.attack_cfg = dict(eps=eps, steps=steps,
                               step_size=step_size if step_size is not None
                               else eps / 4, random_start=random_start)

    def run_iter(self, idx: int, data_batch: Sequence[dict]) -> None:
        self.runner.call_hook(
            'before_test_iter' if isinstance(self, TestLoop) else
            'before_val_iter', batch_idx=idx, data_batch=data_batch)
        model = self.runner.model
        module = model.module if is_model_wrapper(model) else model
        data = module.data_preprocessor(data_batch, False)
        with torch.no_grad():
            outputs = module(**data, mode='predict')
        labels = torch.cat([s.gt_label for s in data['data_samples']])
        labels = labels.to(data['inputs'].device)

        def loss_fn(pixels):
            logits = module(module.from_pixels(pixels), mode='tensor')
            return F.cross_entropy(logits, labels)

        with torch.enable_grad():
            adv = pgd_linf(loss_fn, module.to_pixels(data['inputs']),
                           **self.attack_cfg)
        with torch.no_grad():
            adv_outputs = module(module.from_pixels(adv), mode='predict')
        for sample, adv_sample in zip(outputs, adv_outputs):
            sample.set_field(adv_sample.pred_label, 'adv_pred_label')
            sample.set_field(adv_sample.pred_score, 'adv_pred_score')
        self.evaluator.process(data_samples=outputs, data_batch=data_batch)
        self.runner.call_hook(
            'after_test_iter' if isinstance(self, TestLoop) else
            'after_val_iter', batch_idx=idx, data_batch=data_batch,
            outputs=outputs)


@LOOPS.register_module()
class AdversarialValLoop(_AdversarialEvalMixin, ValLoop):
    """``ValLoop`` that also measures PGD robust accuracy (e.g. PGD-10 for
    model selection with ``save_best='robust/top1'``).

    The model must offer ``to_pixels`` / ``from_pixels`` (as
    ``AdvImageClassifier`` and ``MPMClassifier`` do).

    Args:
        runner: The runner.
        dataloader: The val dataloader (config or object).
        evaluator: The evaluator; add ``RobustAccuracy``.
        eps (float): L-inf radius in [0, 1] pixels. Defaults to 4/255.
        steps (int): PGD steps. Defaults to 10.
        step_size (float, optional): Defaults to ``eps / 4``.
        random_start (bool): Defaults to False.
        fp16 (bool): Passed to ``ValLoop``.
    """

    def __init__(self, runner, dataloader, evaluator, eps: float = 4 / 255,
                 steps: int = 10, step_size: float = None,
                 random_start: bool = False, fp16: bool = False):
        super().__init__(runner, dataloader, evaluator, fp16)
        self._init_attack(eps, steps, step_size, random_start)


@LOOPS.register_module()
class AdversarialTestLoop(_AdversarialEvalMixin, TestLoop):
    """``TestLoop`` counterpart of :class:`AdversarialValLoop` (same
    arguments)."""

    def __init__(self, runner, dataloader, evaluator, eps: float = 4 / 255,
                 steps: int = 10, step_size: float = None,
                 random_start: bool = False, fp16: bool = False):
        super().__init__(runner, dataloader, evaluator, fp16)
        self._init_attack(eps, steps, step_size, random_start)
