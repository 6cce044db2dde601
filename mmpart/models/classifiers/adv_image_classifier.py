# Copyright (c) mmpart contributors. All rights reserved.
from typing import List, Optional

import torch
from mmpretrain.models import ImageClassifier
from mmpretrain.structures import DataSample

from mmpart.registry import MODELS
from ..attacks import pgd_linf
from ..attacks.pixel_space import from_pixels, to_pixels


@MODELS.register_module()
class AdvImageClassifier(ImageClassifier):
    """``ImageClassifier`` with optional PGD adversarial training.

    With ``adv_cfg``, every training loss is computed on adversarial images:
    L-inf PGD in [0, 1] pixel space (normalisation is undone and redone with
    the data preprocessor's mean and std) against the classification loss,
    with the model in eval mode (BN statistics frozen) during the attack.
    The attack runs inside ``loss``, so it works the same with and without
    DDP. ``adv_step_scale`` (set by ``AdvStepRampHook``) scales the step.

    Args:
        adv_cfg (dict, optional): ``eps`` (default 4/255), ``steps``
            (default 2), ``step_size`` (default ``2 * eps / steps``),
            ``random_start`` (default True) and ``use_best`` (default False;
            True keeps the iterate of highest batch loss, as the official
            training does, at the cost of one more forward pass; see
            :func:`~mmpart.models.attacks.pgd_linf`). None: standard
            training.
        **kwargs: ``ImageClassifier`` arguments.
    """

    def __init__(self, *args, adv_cfg: Optional[dict] = None, **kwargs):
        super().__init__(*args, **kwargs)
        if adv_cfg is not None:
            adv_cfg = dict(
                dict(eps=4 / 255, steps=2, random_start=True, use_best=False),
                **adv_cfg)
            adv_cfg.setdefault('step_size',
                               2 * adv_cfg['eps'] / adv_cfg['steps'])
        self.adv_cfg = adv_cfg
        self.adv_step_scale = 1.0

    def to_pixels(self, inputs: torch.Tensor) -> torch.Tensor:
        """Model inputs to [0, 1] pixels (see :func:`to_pixels`)."""
        return to_pixels(self.data_preprocessor, inputs)

    def from_pixels(self, pixels: torch.Tensor) -> torch.Tensor:
        """[0, 1] pixels to model inputs (see :func:`from_pixels`)."""
        return from_pixels(self.data_preprocessor, pixels)

    def head_losses(self, feats: tuple,
                    data_samples: List[DataSample]) -> dict:
        """The head's losses, its ``loss`` renamed ``loss_cls``.

        For models that add losses of their own (``loss_part``): mmengine
        logs the total of all losses as ``loss``, and an mmpretrain head's
        loss of the same name would take its place in the logs.

        Args:
            feats (tuple): The head's input features.
            data_samples (list[DataSample]): Labels.

        Returns:
            dict: The losses.
        """
        losses = self.head.loss(feats, data_samples)
        if 'loss' in losses:
            losses['loss_cls'] = losses.pop('loss')
        return losses

    def classification_loss(self, inputs: torch.Tensor,
                            data_samples: List[DataSample]) -> torch.Tensor:
        """The classification loss on normalised inputs (a scalar)."""
        losses = self.head.loss(self.extract_feat(inputs), data_samples)
        return sum(v for k, v in losses.items() if 'loss' in k)

    def adversarial_inputs(self, inputs: torch.Tensor,
                           data_samples: List[DataSample]) -> torch.Tensor:
        """PGD examples of ``inputs`` (normalised in, normalised out)."""
        cfg = self.adv_cfg
        was_training = self.training
        self.eval()
        try:
            adv = pgd_linf(
                lambda x: self.classification_loss(
                    self.from_pixels(x), data_samples),
                self.to_pixels(inputs),
                eps=cfg['eps'],
                step_size=cfg['step_size'] * self.adv_step_scale,
                steps=cfg['steps'],
                random_start=cfg['random_start'],
                use_best=cfg['use_best'])
        finally:
            self.train(was_training)
        return self.from_pixels(adv)

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[List[DataSample]] = None,
                mode: str = 'tensor',
                **loss_kwargs):
        """``ImageClassifier.forward``; in ``loss`` mode extra inputs of the
        batch (e.g. ``part_targets`` from ``PartClsDataPreprocessor``) go to
        ``loss``."""
        if mode == 'loss':
            return self.loss(inputs, data_samples, **loss_kwargs)
        return super().forward(inputs, data_samples, mode)

    def training_inputs(self, inputs: torch.Tensor,
                        data_samples: List[DataSample]) -> torch.Tensor:
        """The inputs a training loss sees: adversarial ones when
        ``adv_cfg`` is set, else ``inputs`` themselves."""
        if self.adv_cfg is not None and self.training:
            return self.adversarial_inputs(inputs, data_samples)
        return inputs

    def loss(self, inputs: torch.Tensor,
             data_samples: List[DataSample]) -> dict:
        """Losses, on adversarial inputs when ``adv_cfg`` is set."""
        return super().loss(
            self.training_inputs(inputs, data_samples), data_samples)
