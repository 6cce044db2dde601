# Copyright (c) mmpart contributors. All rights reserved.
"""Test and val loops that also score each batch under an adversarial
attack from torchattacks (PGD, PGDL2, AutoAttack, ...)."""
from typing import Optional, Sequence, Union

import torch
from mmengine.dist import is_main_process
from mmengine.model import is_model_wrapper
from mmengine.runner import TestLoop, ValLoop
from mmengine.runner.amp import autocast
from mmengine.utils import ProgressBar

from mmpart.models.attacks import (build_attack, from_pixels,
                                   resolve_attack_cfg, to_pixels)
from mmpart.registry import LOOPS


class _AdversarialEvalMixin:
    """Run each batch clean and under an attack; samples get both results.

    Each data sample keeps its clean ``pred_label`` / ``pred_score`` and
    gains ``adv_pred_label`` / ``adv_pred_score``, the predictions on the
    attack's images (made against the true label, in [0, 1] pixel space,
    model in eval mode). With ``restarts`` > 1 a sample counts as broken if
    any restart breaks it. ``RobustAccuracy`` scores them. With ``fp16``
    every forward (clean prediction, the attack's, adversarial prediction)
    runs under mmengine's ``autocast``, as ``ValLoop`` / ``TestLoop`` run
    theirs. The main process shows a progress bar over its batches (attacks
    are slow).
    """

    def __init__(self,
                 runner,
                 dataloader,
                 evaluator,
                 attack: Optional[Union[str, dict]] = None,
                 restarts: int = 1,
                 progress_bar: bool = True,
                 fp16: bool = False):
        super().__init__(runner, dataloader, evaluator, fp16)
        if restarts < 1:
            raise ValueError(f'restarts must be >= 1, got {restarts}')
        self.attack_cfg = resolve_attack_cfg(attack)
        self.restarts = restarts
        self.progress_bar = progress_bar and is_main_process()
        self._attack = None
        self._bar = None

    def _attack_images(self, module, pixels: torch.Tensor,
                       labels: torch.Tensor) -> torch.Tensor:
        if self._attack is None:
            self._attack = build_attack(self.attack_cfg, module)
        adv = self._attack(pixels, labels)
        for _ in range(self.restarts - 1):
            with torch.no_grad():
                fooled = module(from_pixels(module.data_preprocessor, adv),
                                mode='tensor').argmax(1) != labels
            if fooled.all():
                break
            retry = self._attack(pixels[~fooled], labels[~fooled])
            adv[~fooled] = retry
        return adv

    def run_iter(self, idx: int, data_batch: Sequence[dict]) -> None:
        """Predict one batch clean and attacked, and feed the evaluator.

        Args:
            idx (int): The batch index.
            data_batch (Sequence[dict]): The batch from the dataloader.
        """
        stage = 'test' if isinstance(self, TestLoop) else 'val'
        self.runner.call_hook(
            f'before_{stage}_iter', batch_idx=idx, data_batch=data_batch)
        if self.progress_bar and idx == 0:
            self._bar = ProgressBar(len(self.dataloader))
        model = self.runner.model
        module = model.module if is_model_wrapper(model) else model
        with autocast(enabled=self.fp16):
            data = module.data_preprocessor(data_batch, False)
            with torch.no_grad():
                outputs = module(**data, mode='predict')
            labels = torch.cat([s.gt_label for s in data['data_samples']
                                ]).to(data['inputs'].device)
            pixels = to_pixels(module.data_preprocessor,
                               data['inputs']).clamp(0, 1)
            with torch.enable_grad():
                adv = self._attack_images(module, pixels, labels)
            with torch.no_grad():
                adv_outputs = module(
                    from_pixels(module.data_preprocessor, adv),
                    mode='predict')
        for sample, adv_sample in zip(outputs, adv_outputs):
            sample.set_field(adv_sample.pred_label, 'adv_pred_label')
            sample.set_field(adv_sample.pred_score, 'adv_pred_score')
        self.evaluator.process(data_samples=outputs, data_batch=data_batch)
        if self.progress_bar:
            self._bar.update()
        self.runner.call_hook(
            f'after_{stage}_iter', batch_idx=idx, data_batch=data_batch,
            outputs=outputs)


@LOOPS.register_module()
class AdversarialValLoop(_AdversarialEvalMixin, ValLoop):
    """``ValLoop`` that also measures robust accuracy, e.g. PGD-10 for model
    selection with ``save_best='robust/top1'``.

    Args:
        runner (Runner): The runner.
        dataloader (DataLoader | dict): The val dataloader.
        evaluator (Evaluator | dict | list): The evaluator; add
            ``RobustAccuracy``.
        attack (str | dict, optional): The attack, in [0, 1] pixel units:
            a protocol name of
            :data:`~mmpart.models.attacks.ATTACK_PROTOCOLS`
            (``'pgd10_linf'``, ``'pgd10_l2'``, ...), a protocol with
            overrides (``dict(protocol='pgd10_l2', eps=0.86)``) or a
            torchattacks config (``dict(type='PGD', eps=4 / 255, ...)``);
            see :func:`~mmpart.models.attacks.resolve_attack_cfg`.
            Defaults to ``'pgd10_linf'``.
        restarts (int): Attack runs per batch (random-start attacks).
            Defaults to 1.
        progress_bar (bool): Show a progress bar on the main process.
            Defaults to True.
        fp16 (bool): Run the forwards under mixed precision (bfloat16 on a
            CPU). Defaults to False.

    Examples:
        >>> val_cfg = dict(type='AdversarialValLoop', attack='pgd10_linf')
        >>> val_evaluator = [dict(type='Accuracy', topk=(1, )),
        ...                  dict(type='RobustAccuracy')]
    """


@LOOPS.register_module()
class AdversarialTestLoop(_AdversarialEvalMixin, TestLoop):
    """``TestLoop`` counterpart of :class:`AdversarialValLoop` (same
    arguments)."""
