# Copyright (c) mmpart contributors. All rights reserved.
from typing import List, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.models.classifiers import BaseClassifier
from mmpretrain.structures import DataSample

from mmpart.registry import MODELS


def check_episode(inputs: torch.Tensor, data_samples: List[DataSample],
                  num_ways: int, num_shots: int, num_queries: int) -> None:
    """Refuse a training batch that is not one episode in the
    ``EpisodicBatchSampler`` layout, since the episodic losses read the
    classes from the positions, not from the labels.

    Args:
        inputs (torch.Tensor): The batch.
        data_samples (list[DataSample]): Its samples, with labels.
        num_ways (int): N, classes in the episode.
        num_shots (int): K, supports per class.
        num_queries (int): Q, queries per class.

    Raises:
        ValueError: On a wrong size or order.
    """
    ways, shots, queries = num_ways, num_shots, num_queries
    expected = ways * (shots + queries)
    if inputs.size(0) != expected:
        raise ValueError(
            f'a training batch must be one {ways}-way {shots}-shot '
            f'episode with {queries} queries ({expected} samples, from '
            f'EpisodicBatchSampler), got {inputs.size(0)}')
    labels = torch.stack([s.gt_label[0] for s in data_samples])
    support_labels = labels[:ways * shots].view(ways, shots)
    query_labels = labels[ways * shots:].view(ways, queries)
    if not (bool((support_labels == support_labels[:, :1]).all())
            and torch.equal(query_labels[:, 0], support_labels[:, 0])):
        raise ValueError('the batch is not laid out as an episode '
                         '(supports class by class, then queries in the '
                         'same class order): use EpisodicBatchSampler')


@MODELS.register_module()
class PrototypeClassifier(BaseClassifier):
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
        data_preprocessor = dict(data_preprocessor or {})
        data_preprocessor.setdefault('type', 'ClsDataPreprocessor')
        super().__init__(
            init_cfg=init_cfg, data_preprocessor=data_preprocessor)
        self.backbone = MODELS.build(backbone)
        self.neck = MODELS.build(neck) if neck is not None else None
        self.num_ways = num_ways
        self.num_shots = num_shots
        self.num_queries = num_queries
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

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[List[DataSample]] = None,
                mode: str = 'tensor'):
        if mode == 'tensor':
            return self.extract_feat(inputs)
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        raise RuntimeError(f'Invalid mode "{mode}".')

    def loss(self, inputs: torch.Tensor,
             data_samples: List[DataSample]) -> dict:
        """The episode's cross-entropy (MetaBaseline's meta stage).

        Args:
            inputs (torch.Tensor): One episode in the
                ``EpisodicBatchSampler`` layout.
            data_samples (list[DataSample]): Their samples (their labels
                check the layout).

        Returns:
            dict: ``loss``, ``accuracy`` (queries, percent) and
            ``temperature``.
        """
        check_episode(inputs, data_samples, self.num_ways, self.num_shots,
                      self.num_queries)
        ways, shots, queries = self.num_ways, self.num_shots, self.num_queries
        feats = self.extract_feat(inputs)
        prototypes = feats[:ways * shots].view(ways, shots, -1).mean(1)
        logits = self.temperature * F.normalize(
            feats[ways * shots:], dim=-1) @ F.normalize(
                prototypes, dim=-1).t()
        target = torch.arange(ways, device=logits.device).repeat_interleave(
            queries)
        return dict(
            loss=F.cross_entropy(logits, target),
            accuracy=(logits.argmax(1) == target).float().mean().detach() *
            100,
            temperature=self.temperature.detach())

    def predict(self,
                inputs: torch.Tensor,
                data_samples: Optional[List[DataSample]] = None
                ) -> List[DataSample]:
        """Each input's feature, as the data sample's ``embedding``.

        Args:
            inputs (torch.Tensor): The images.
            data_samples (list[DataSample], optional): Their samples.

        Returns:
            list[DataSample]: The samples with ``embedding`` (D, ).
        """
        feats = self.extract_feat(inputs)
        if data_samples is None:
            data_samples = [DataSample() for _ in range(feats.size(0))]
        for sample, feat in zip(data_samples, feats):
            sample.set_field(feat, 'embedding', dtype=torch.Tensor)
        return data_samples
