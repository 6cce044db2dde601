# Copyright (c) mmpart contributors. All rights reserved.
from typing import List, Optional

import torch
import torch.nn.functional as F
from mmpretrain.structures import DataSample

from mmpart.registry import MODELS
from mmpart.structures import PartTargets
from ..utils import PartClsDataPreprocessor, chunked_argmax
from .adv_image_classifier import AdvImageClassifier


@MODELS.register_module()
class MPMClassifier(AdvImageClassifier):
    """The Multi-scale Part-supervised Model (MPM).

    From Li et al., "PartImageNet++ Dataset: Scaling up Part-based Models
    for Robust Recognition", ECCV 2024. A classifier (backbone -> neck ->
    head, as ``ImageClassifier``) whose backbone stages also feed a
    training-only part bypass (``MultiScalePartBypass``) supervised by part
    maps through ``SoftFocalPartLoss``. In ``predict`` and ``tensor`` modes
    the bypass does not run, so the deployed model costs what the plain
    classifier costs; :func:`mmpart.export.export_plain_classifier` drops
    it.

    The backbone must output the stages the bypass reads (e.g. ResNet
    ``out_indices=(1, 2, 3)``); the neck and head use the last one.
    Training batches need ``part_targets`` from ``PartClsDataPreprocessor``,
    which gets the bypass's ``num_classes`` to refuse an out-of-range part
    id naming its map's file.

    Args:
        bypass (dict): The part bypass config.
        part_loss (dict): The part loss config. Defaults to
            ``SoftFocalPartLoss`` with its defaults.
        predict_parts (bool): For analysis only: also run the bypass in
            ``predict`` and attach ``pred_part_map`` (finest scale, argmax,
            resized to the input) for ``PartIoUMetric``. Defaults to False.
        predict_class_chunk (int): Part classes upsampled at a time for
            ``pred_part_map`` (a chunked argmax, equal to the argmax of the
            whole upsampled logits). Defaults to 256.
        **kwargs: ``AdvImageClassifier`` arguments (backbone, neck, head,
            adv_cfg, data_preprocessor, ...).

    Examples:
        >>> import torch
        >>> from mmpretrain.structures import DataSample
        >>> from mmpart.registry import MODELS
        >>> from mmpart.structures import PartTargets
        >>> model = MODELS.build(dict(
        ...     type='MPMClassifier',
        ...     backbone=dict(type='ResNet', depth=18, out_indices=(1, 2, 3)),
        ...     neck=dict(type='GlobalAveragePooling'),
        ...     head=dict(type='LinearClsHead', num_classes=10,
        ...               in_channels=512),
        ...     bypass=dict(type='MultiScalePartBypass', num_classes=5,
        ...                 in_channels=(128, 256, 512))))
        >>> model(torch.rand(2, 3, 64, 64), mode='tensor').shape
        torch.Size([2, 10])
        >>> # Training: part maps (5 classes) beside the labels.
        >>> samples = [DataSample().set_gt_label(label) for label in (3, 7)]
        >>> targets = PartTargets(
        ...     maps=[torch.randint(0, 5, (2, 64, 64))],
        ...     coeffs=[torch.ones(2)], sample_weights=torch.ones(2))
        >>> sorted(model.loss(torch.rand(2, 3, 64, 64), samples, targets))
        ['loss_cls', 'loss_part']
    """

    def __init__(self,
                 *args,
                 bypass: dict,
                 part_loss: dict = dict(type='SoftFocalPartLoss'),
                 predict_parts: bool = False,
                 predict_class_chunk: int = 256,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.bypass = MODELS.build(bypass)
        if isinstance(self.data_preprocessor, PartClsDataPreprocessor):
            self.data_preprocessor.bind_part_classes(self.bypass.num_classes)
        self.part_loss = MODELS.build(part_loss)
        self.predict_parts = predict_parts
        self.predict_class_chunk = predict_class_chunk

    def loss(self,
             inputs: torch.Tensor,
             data_samples: List[DataSample],
             part_targets: Optional[PartTargets] = None) -> dict:
        """Classification loss plus ``loss_part`` from the bypass.

        Args:
            inputs (Tensor): Normalised images.
            data_samples (list[DataSample]): Labels.
            part_targets (PartTargets): The batch's part targets.

        Returns:
            dict: The losses.
        """
        if part_targets is None:
            raise ValueError(
                'MPMClassifier needs part targets in training: use '
                'PartClsDataPreprocessor and a pipeline ending in '
                'PackPartInputs')
        stages = self.backbone(self.training_inputs(inputs, data_samples))
        feats = self.neck(stages) if self.with_neck else stages
        losses = self.head_losses(feats, data_samples)
        losses['loss_part'] = self.part_loss(
            self.bypass(stages, lazy=True), part_targets)
        return losses

    def predict(self,
                inputs: torch.Tensor,
                data_samples: Optional[List[DataSample]] = None,
                **kwargs) -> List[DataSample]:
        """Class predictions; part maps too if ``predict_parts``."""
        if not self.predict_parts:
            return super().predict(inputs, data_samples, **kwargs)
        stages = self.backbone(inputs)
        feats = self.neck(stages) if self.with_neck else stages
        results = self.head.predict(feats, data_samples, **kwargs)
        logits = self.bypass(stages)[-1]
        finest = chunked_argmax(
            lambda classes: F.interpolate(
                logits[:, classes],
                size=inputs.shape[-2:],
                mode='bilinear',
                align_corners=False),
            logits.shape[1],
            self.predict_class_chunk,
            dim=1)
        for sample, part_map in zip(results, finest):
            sample.set_field(part_map, 'pred_part_map', dtype=torch.Tensor)
        return results
