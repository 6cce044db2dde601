# Copyright (c) mmpart contributors. All rights reserved.
from typing import List, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.structures import DataSample

from mmpart.registry import MODELS
from mmpart.structures import PartTargets
from .adv_image_classifier import AdvImageClassifier


@MODELS.register_module()
class TwoStagePartClassifier(AdvImageClassifier):
    """The two-stage part model: segmenter -> part map -> small classifier.

    A part segmenter (``backbone`` + ``segmenter_head``, e.g. a
    ``MultiScalePartBypass`` with one scale) predicts part logits; their
    softmax, resized to ``part_map_size``, is all the classifier (``neck``:
    a small conv net, ``head``: a linear head) sees. Unlike MPM it needs the
    segmenter at inference. In training, ``part_targets`` add the
    segmenter's ``loss_part``; without them only the classifier learns
    (a frozen, pretrained segmenter).

    Args:
        segmenter_head (dict): Produces part logits from backbone outputs
            (a list, coarsest first; the first is used).
        num_part_classes (int): Part classes of the segmenter.
        part_map_size (int): Side of the part map fed to the classifier.
            Defaults to 7.
        hidden_channels (int): Width of the small conv classifier.
            Defaults to 256.
        part_loss (dict, optional): Loss of the segmenter.
        freeze_segmenter (bool): Train only the classifier. Defaults to
            False.
        **kwargs: ``AdvImageClassifier`` arguments (backbone, head,
            adv_cfg, ...).
    """

    def __init__(self,
                 *args,
                 segmenter_head: dict,
                 num_part_classes: int,
                 part_map_size: int = 7,
                 hidden_channels: int = 256,
                 part_loss: Optional[dict] = dict(type='SoftFocalPartLoss'),
                 freeze_segmenter: bool = False,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.segmenter_head = MODELS.build(segmenter_head)
        self.part_loss = MODELS.build(part_loss) if part_loss else None
        self.part_map_size = part_map_size
        self.part_classifier = nn.Sequential(
            nn.Conv2d(num_part_classes, hidden_channels, 1, bias=False),
            nn.BatchNorm2d(hidden_channels), nn.GELU(),
            nn.Conv2d(hidden_channels, hidden_channels, 3, padding=1,
                      bias=False), nn.BatchNorm2d(hidden_channels),
            nn.GELU(), nn.AdaptiveAvgPool2d(1))
        self.freeze_segmenter = freeze_segmenter
        if freeze_segmenter:
            for module in (self.backbone, self.segmenter_head):
                module.requires_grad_(False)

    def train(self, mode: bool = True):
        super().train(mode)
        if self.freeze_segmenter:
            self.backbone.eval()
            self.segmenter_head.eval()
        return self

    def part_logits(self, inputs: torch.Tensor) -> List[torch.Tensor]:
        """The segmenter's part logits, coarsest first."""
        return self.segmenter_head(self.backbone(inputs))

    def classify_parts(self, logits: torch.Tensor) -> tuple:
        """Features of the softmaxed, resized part map, as a 1-tuple."""
        probs = F.interpolate(
            logits.softmax(1),
            size=(self.part_map_size, self.part_map_size),
            mode='bilinear',
            align_corners=False)
        return (self.part_classifier(probs).flatten(1), )

    def extract_feat(self, inputs: torch.Tensor, stage: str = 'neck'):
        """Classifier features from the segmenter's part map."""
        return self.classify_parts(self.part_logits(inputs)[0])

    def loss(self,
             inputs: torch.Tensor,
             data_samples: List[DataSample],
             part_targets: Optional[PartTargets] = None) -> dict:
        """Classification loss, plus the segmenter's when maps are given."""
        logits = self.part_logits(self.training_inputs(inputs, data_samples))
        losses = self.head.loss(self.classify_parts(logits[0]), data_samples)
        if part_targets is not None and self.part_loss is not None and \
                not self.freeze_segmenter:
            losses['loss_part'] = self.part_loss(logits, part_targets)
        return losses
