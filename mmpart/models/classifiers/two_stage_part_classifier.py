# Copyright (c) mmpart contributors. All rights reserved.
from typing import List, Optional

import torch
import torch.nn.functional as F
from mmpretrain.structures import DataSample

from mmpart.registry import MODELS
from mmpart.structures import PartTargets
from ..utils import PartClsDataPreprocessor
from .adv_image_classifier import AdvImageClassifier


@MODELS.register_module()
class TwoStagePartClassifier(AdvImageClassifier):
    """The two-stage part model: segmenter -> part map -> small classifier.

    The part-based baseline of PartImageNet++ (Li et al., "PartImageNet++
    Dataset: Scaling up Part-based Models for Robust Recognition", ECCV
    2024). A part segmenter (``backbone`` + ``segmenter_head``, e.g. a
    ``MultiScalePartBypass`` with one scale) predicts part logits; their
    softmax, resized to ``part_map_size``, is all the classifier (``neck``,
    e.g. ``PartMapConvNeck``, and ``head``, e.g. a linear head) sees. Unlike
    MPM it needs the segmenter at inference. In training, ``part_targets``
    add the segmenter's ``loss_part``; without them only the classifier
    learns (a frozen, pretrained segmenter). A ``PartClsDataPreprocessor``
    gets the segmenter head's ``num_classes`` to refuse an out-of-range
    part id naming its map's file.

    Args:
        segmenter_head (dict): Produces part logits from backbone outputs
            (a list, coarsest first; the first is used).
        part_map_size (int): Side of the part map fed to the neck.
            Defaults to 7.
        part_loss (dict, optional): Loss of the segmenter. Defaults to
            ``SoftFocalPartLoss`` with its defaults.
        freeze_segmenter (bool): Train only the classifier. Defaults to
            False.
        **kwargs: ``AdvImageClassifier`` arguments (backbone, neck, head,
            adv_cfg, ...).
    """

    def __init__(self,
                 *args,
                 segmenter_head: dict,
                 part_map_size: int = 7,
                 part_loss: Optional[dict] = dict(type='SoftFocalPartLoss'),
                 freeze_segmenter: bool = False,
                 **kwargs):
        super().__init__(*args, **kwargs)
        if not self.with_neck:
            raise ValueError('TwoStagePartClassifier needs a neck that '
                             'classifies part maps, e.g. '
                             "dict(type='PartMapConvNeck', in_channels=...)")
        self.segmenter_head = MODELS.build(segmenter_head)
        if isinstance(self.data_preprocessor, PartClsDataPreprocessor):
            self.data_preprocessor.bind_part_classes(
                self.segmenter_head.num_classes)
        self.part_loss = MODELS.build(part_loss) if part_loss else None
        self.part_map_size = part_map_size
        self.freeze_segmenter = freeze_segmenter
        if freeze_segmenter:
            for module in (self.backbone, self.segmenter_head):
                module.requires_grad_(False)

    def train(self, mode: bool = True):
        """Set the mode; a frozen segmenter stays in eval mode."""
        super().train(mode)
        if self.freeze_segmenter:
            self.backbone.eval()
            self.segmenter_head.eval()
        return self

    def part_logits(self, inputs: torch.Tensor) -> List[torch.Tensor]:
        """The segmenter's part logits, coarsest first."""
        return self.segmenter_head(self.backbone(inputs))

    def classify_parts(self, logits: torch.Tensor) -> tuple:
        """Neck features of the softmaxed, resized part map."""
        probs = F.interpolate(
            logits.softmax(1),
            size=(self.part_map_size, self.part_map_size),
            mode='bilinear',
            align_corners=False)
        return self.neck(probs)

    def extract_feat(self, inputs: torch.Tensor, stage: str = 'neck'):
        """Classifier features from the segmenter's part map.

        Args:
            inputs (Tensor): Normalised images.
            stage (str): ``'neck'`` (the neck's tuple) or ``'pre_logits'``
                (the head's input to its last layer). Defaults to
                ``'neck'``.

        Returns:
            tuple | Tensor: The features of that stage.
        """
        if stage not in ('neck', 'pre_logits'):
            raise ValueError('TwoStagePartClassifier.extract_feat: stage '
                             f'must be "neck" or "pre_logits", got {stage!r}')
        feats = self.classify_parts(self.part_logits(inputs)[0])
        return feats if stage == 'neck' else self.head.pre_logits(feats)

    def loss(self,
             inputs: torch.Tensor,
             data_samples: List[DataSample],
             part_targets: Optional[PartTargets] = None) -> dict:
        """``loss_cls``, plus the segmenter's ``loss_part`` when part
        targets are given and the segmenter trains."""
        logits = self.part_logits(self.training_inputs(inputs, data_samples))
        losses = self.head_losses(self.classify_parts(logits[0]), data_samples)
        if part_targets is not None and self.part_loss is not None and \
                not self.freeze_segmenter:
            losses['loss_part'] = self.part_loss(logits, part_targets)
        return losses
