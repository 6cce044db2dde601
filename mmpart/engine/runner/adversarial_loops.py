# Copyright (c) mmpart contributors. All rights reserved.
"""Test and val loops that also score each batch under an adversarial
attack from torchattacks (PGD, PGDL2, AutoAttack, ...)."""
import copy
import inspect
from typing import Optional, Sequence

import torch
from mmengine.model import is_model_wrapper
from mmengine.dist import is_main_process
from mmengine.runner import TestLoop, ValLoop
from mmengine.utils import ProgressBar

from mmpart.models.attacks import PixelSpaceClassifier, from_pixels, to_pixels
from mmpart.registry import LOOPS

#: L-inf PGD-10 with step eps/4 from the clean image: MPM's selection attack.
PGD10_LINF = dict(type='PGD', eps=4 / 255, alpha=1 / 255, steps=10,
                  random_start=False)


#: Default ε per norm, in [0, 1] pixel units (the evaluation protocol).
DEFAULT_EPS = dict(Linf=4 / 255, L2=2.0, L1=75.0)


def attack_norm(attack_cfg: dict) -> str:
    """The norm an attack config bounds: its ``norm``, else ``L2`` for
    torchattacks' ``*L2`` classes and ``Linf`` otherwise."""
    if 'norm' in attack_cfg:
        return attack_cfg['norm']
    return 'L2' if attack_cfg['type'].endswith('L2') else 'Linf'


def build_attack(attack_cfg: dict, classifier: torch.nn.Module):
    """Build a torchattacks attack against an mmpretrain classifier.

    Missing arguments get the protocol's values rather than torchattacks'
    (which are 8/255 and 10 classes): ``eps`` from :data:`DEFAULT_EPS` by
    norm, ``n_classes`` from the head, and ``seed=0``.

    Args:
        attack_cfg (dict): ``type`` is a torchattacks class name (``PGD``,
            ``PGDL2``, ``AutoAttack``, ``APGD``, ...), the rest its
            arguments.
        classifier (nn.Module): The classifier (not wrapped).

    Returns:
        torchattacks.Attack: An attack on [0, 1] images.
    """
    try:
        import torchattacks
    except ImportError as e:
        raise ImportError(
            'adversarial evaluation needs torchattacks: pip install '
            '--no-deps torchattacks==3.5.1 (its requests pin is not '
            'needed at run time)') from e
    cfg = copy.deepcopy(dict(attack_cfg))
    attack_type = cfg.pop('type')
    if not hasattr(torchattacks, attack_type):
        raise KeyError(f'torchattacks has no attack {attack_type!r}')
    attack_cls = getattr(torchattacks, attack_type)
    accepted = inspect.signature(attack_cls).parameters
    norm = attack_norm(dict(attack_cfg))
    if norm not in ('Linf', 'L2'):
        # torchattacks' APGD/FAB/Square (hence AutoAttack) assert Linf/L2.
        raise ValueError(f'{attack_type} with norm {norm!r}: torchattacks '
                         'supports Linf and L2 only (no L1 AutoAttack)')
    defaults = dict(eps=DEFAULT_EPS[norm], seed=0)
    if 'n_classes' in accepted:
        defaults['n_classes'] = classifier.head.num_classes
    for key, value in defaults.items():
        if key in accepted:
            cfg.setdefault(key, value)
    return attack_cls(PixelSpaceClassifier(classifier), **cfg)


class _AdversarialEvalMixin:
    """Run each batch clean and under an attack; samples get both results.

    Each data sample keeps its clean ``pred_label`` / ``pred_score`` and
    gains ``adv_pred_label`` / ``adv_pred_score``, the predictions on the
    attack's images (made against the true label, in [0, 1] pixel space,
    model in eval mode). With ``restarts`` > 1 a sample counts as broken if
    any restart breaks it. ``RobustAccuracy`` scores them. The main process
    shows a progress bar over its batches (attacks are slow).
    """

    def _init_attack(self, attack: Optional[dict], restarts: int,
                     progress_bar: bool) -> None:
        if restarts < 1:
            raise ValueError(f'restarts must be >= 1, got {restarts}')
        self.attack_cfg = attack or PGD10_LINF
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
        stage = 'test' if isinstance(self, TestLoop) else 'val'
        self.runner.call_hook(
            f'before_{stage}_iter', batch_idx=idx, data_batch=data_batch)
        if self.progress_bar and idx == 0:
            self._bar = ProgressBar(len(self.dataloader))
        model = self.runner.model
        module = model.module if is_model_wrapper(model) else model
        data = module.data_preprocessor(data_batch, False)
        with torch.no_grad():
            outputs = module(**data, mode='predict')
        labels = torch.cat([s.gt_label for s in data['data_samples']]).to(
            data['inputs'].device)
        pixels = to_pixels(module.data_preprocessor,
                           data['inputs']).clamp(0, 1)
        with torch.enable_grad():
            adv = self._attack_images(module, pixels, labels)
        with torch.no_grad():
            adv_outputs = module(
                from_pixels(module.data_preprocessor, adv), mode='predict')
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
        runner: The runner.
        dataloader: The val dataloader (config or object).
        evaluator: The evaluator; add ``RobustAccuracy``.
        attack (dict, optional): A torchattacks attack: ``type`` (``PGD``,
            ``PGDL2``, ``AutoAttack``, ...) and its arguments, in [0, 1]
            pixel units (e.g. ``eps=4/255``). Defaults to
            :data:`PGD10_LINF`.
        restarts (int): Attack runs per batch (random-start attacks).
            Defaults to 1.
        progress_bar (bool): Show a progress bar on the main process.
            Defaults to True.
        fp16 (bool): Passed to ``ValLoop``.
    """

    def __init__(self, runner, dataloader, evaluator,
                 attack: Optional[dict] = None, restarts: int = 1,
                 progress_bar: bool = True, fp16: bool = False):
        super().__init__(runner, dataloader, evaluator, fp16)
        self._init_attack(attack, restarts, progress_bar)


@LOOPS.register_module()
class AdversarialTestLoop(_AdversarialEvalMixin, TestLoop):
    """``TestLoop`` counterpart of :class:`AdversarialValLoop` (same
    arguments)."""

    def __init__(self, runner, dataloader, evaluator,
                 attack: Optional[dict] = None, restarts: int = 1,
                 progress_bar: bool = True, fp16: bool = False):
        super().__init__(runner, dataloader, evaluator, fp16)
        self._init_attack(attack, restarts, progress_bar)
