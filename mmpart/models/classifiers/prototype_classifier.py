# Copyright (c) mmpart contributors. All rights reserved.
from typing import List, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.structures import DataSample

from mmpart.registry import MODELS
from .episodic_classifier import EpisodicClassifier


@MODELS.register_module()
class PrototypeClassifier(EpisodicClassifier):
    """A cosine-prototype few-shot classifier (MetaBaseline), with an
    optional part-aware input.

    **Features.** The backbone's last output, pooled by the neck (global
    average pooling by default). A classifier checkpoint of mmpretrain or
    MPM (``ImageClassifier``, ``MPMClassifier``) loads into it as it is:
    ``backbone.*`` and ``neck.*`` match, its head and bypass are left out.

    **Part-aware.** With ``part_aware``, each input has 6 channels, the full
    image then its object's box crop (``StackObjectCrop``), both through the
    same backbone: ``feature = p * f(full) + (1 - p) * f(crop)``, with ``p``
    learnable and starting at 0 (the crop alone). The paper's official code
    puts the crop through a separate small CNN instead: for that model,
    leave ``part_aware`` off and give ``PartAwareDualEncoder`` as the
    backbone, with ``neck=None``.

    **Meta stage** (``loss``): a batch is one episode, laid out by
    ``EpisodicBatchSampler``: the ``num_ways * num_shots`` supports class by
    class, then the ``num_ways * num_queries`` queries class by class. The
    prototypes are the mean support features; each query's logits are the
    cosine similarities to them times a learnable temperature;
    cross-entropy on the episode's labels.

    **Test** (``predict``): each data sample gets its feature as
    ``embedding``; ``EpisodicAccuracy`` draws the episodes from them.

    Args:
        backbone (dict): The backbone.
        neck (dict, optional): Pools the backbone's last output to a vector.
            Defaults to ``GlobalAveragePooling``.
        num_ways (int): Classes per training episode. Defaults to 5.
        num_shots (int): Supports per class in training. Defaults to 5.
        num_queries (int): Queries per class in training. Defaults to 15.
        temperature (float): Initial logit scale. Defaults to 10.
        learn_temperature (bool): Learn the scale. Defaults to True.
        part_aware (bool): Take 6-channel (full image, object crop)
            inputs. Defaults to False.
        data_preprocessor (dict, optional): Defaults to
            ``ClsDataPreprocessor``.
        init_cfg (dict, optional): Initialisation.
    """

    def __init__(self,
                 backbone: dict,
                 neck: Optional[dict] = dict(type='GlobalAveragePooling'),
                 num_ways: int = 5,
                 num_shots: int = 5,
                 num_queries: int = 15,
                 temperature: float = 10.0,
                 learn_temperature: bool = True,
                 part_aware: bool = False,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(num_ways, num_shots, num_queries,
                         data_preprocessor, init_cfg)
        self.backbone = MODELS.build(backbone)
        self.neck = MODELS.build(neck) if neck is not None else None
        self.temperature = nn.Parameter(
            torch.tensor(float(temperature)),
            requires_grad=learn_temperature)
        self.part_aware = part_aware
        if part_aware:
            self.full_image_weight = nn.Parameter(torch.zeros(()))

    def _embed(self, inputs: torch.Tensor) -> torch.Tensor:
        """The pooled feature of 3-channel images, (B, D)."""
        feats = self.backbone(inputs)
        if self.neck is not None:
            feats = self.neck(feats)
        return feats[-1] if isinstance(feats, (tuple, list)) else feats

    def extract_feat(self, inputs: torch.Tensor) -> torch.Tensor:
        """The feature of each input.

        Args:
            inputs (torch.Tensor): (B, 3, H, W), or (B, 6, H, W) when part
                aware.

        Returns:
            torch.Tensor: (B, D).
        """
        if not self.part_aware:
            return self._embed(inputs)
        if inputs.size(1) != 6:
            raise ValueError(
                f'a part-aware PrototypeClassifier takes 6-channel inputs '
                f'(StackObjectCrop), got {inputs.size(1)} channels')
        both = self._embed(torch.cat([inputs[:, :3], inputs[:, 3:]]))
        full, crop = both.chunk(2)
        weight = self.full_image_weight
        return weight * full + (1 - weight) * crop

    def episode_logits(self, feats: torch.Tensor) -> torch.Tensor:
        """The queries' cosine similarities to the prototypes (the mean
        support features) times the temperature.

        Args:
            feats (torch.Tensor): The episode's features, supports first.

        Returns:
            torch.Tensor: ``(num_ways * num_queries, num_ways)``.
        """
        supports = self.num_ways * self.num_shots
        prototypes = feats[:supports].view(self.num_ways, self.num_shots,
                                           -1).mean(1)
        return self.temperature * F.normalize(
            feats[supports:], dim=-1) @ F.normalize(
                prototypes, dim=-1).t()

    def loss(self, inputs: torch.Tensor,
             data_samples: List[DataSample]) -> dict:
        """The episode's cross-entropy (MetaBaseline's meta stage).

        Args:
            inputs (torch.Tensor): One episode in the
                ``EpisodicBatchSampler`` layout.
            data_samples (list[DataSample]): Their samples.

        Returns:
            dict: ``loss``, ``accuracy`` (queries, percent) and
            ``temperature``.
        """
        losses = super().loss(inputs, data_samples)
        losses['temperature'] = self.temperature.detach()
        return losses
