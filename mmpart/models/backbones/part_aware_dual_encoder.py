# Copyright (c) mmpart contributors. All rights reserved.
from typing import Tuple

import torch
import torch.nn as nn
from mmpretrain.models.backbones.base_backbone import BaseBackbone

from mmpart.registry import MODELS


@MODELS.register_module()
class PartAwareDualEncoder(BaseBackbone):
    """The official part-aware encoder of the PartImageNet++ few-shot
    benchmark: the full image and its object's box crop through two
    different networks, mixed by a learnable weight (Li et al.,
    "PartImageNet++ Dataset: Scaling up Part-based Models for Robust
    Recognition", ECCV 2024; ``Benchmark/fewshot/metabaseline`` of their
    code).

    The input has 6 channels, the full image then the crop, as
    ``StackObjectCrop`` stacks them (the official model takes the pair as
    (crop, image)). The feature is::

        p * f(image) + (1 - p) * g(crop)

    with ``f`` the image encoder's last map averaged over space and ``g``
    the crop encoder's vector. ``p`` is a plain scalar parameter that starts
    at 0, so the model starts from the crop alone. As in the official code it
    is neither squashed nor clamped: it may leave [0, 1]. It is trained with
    everything else in both stages (classifier pre-training and the meta
    stage), and an optimizer's weight decay reaches it as the official SGD
    does.

    This differs from ``PrototypeClassifier(part_aware=True)``, which puts
    both halves through one shared backbone. With its defaults this module is
    the official one: ResNet-12 of widths 64-128-256-512 for the image and
    :class:`ConvMLPEncoder` (two conv stages and a 256-256-512 MLP on 80 px
    crops) for the crop, both giving 512-d features.

    The output is a (B, D) vector, not a map: use it without a neck
    (``neck=None``) in ``PrototypeClassifier`` (meta stage) and in
    mmpretrain's ``ImageClassifier`` with a ``LinearClsHead`` (pre-training);
    the meta stage loads the pre-trained ``backbone.*``, ``p`` included, and
    leaves the linear head out, as the official meta stage keeps only the
    encoder.

    Args:
        image_encoder (dict): The full image's backbone; its last output is
            averaged over space. Defaults to ResNet-12, 64-128-256-512.
        crop_encoder (dict): The crop's backbone; its last output must be a
            (B, D) vector of the same D. Defaults to :class:`ConvMLPEncoder`.
        image_weight (float): Initial ``p``. Defaults to 0.
        learn_image_weight (bool): Learn ``p``. Defaults to True.
        init_cfg (dict, optional): Initialisation; the encoders initialise
            themselves by their own ``init_cfg``.

    Examples:
        >>> import torch
        >>> from mmpart.registry import MODELS
        >>> encoder = MODELS.build(dict(type='PartAwareDualEncoder'))
        >>> encoder(torch.randn(2, 6, 80, 80))[0].shape
        torch.Size([2, 512])
    """

    def __init__(self,
                 image_encoder: dict = dict(
                     type='ResNet12', channels=(64, 128, 256, 512)),
                 crop_encoder: dict = dict(type='ConvMLPEncoder'),
                 image_weight: float = 0.0,
                 learn_image_weight: bool = True,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.image_encoder = MODELS.build(image_encoder)
        self.crop_encoder = MODELS.build(crop_encoder)
        self.image_weight = nn.Parameter(
            torch.tensor(float(image_weight)),
            requires_grad=learn_image_weight)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor]:
        """The mixed feature of each (image, crop) pair.

        Args:
            x (torch.Tensor): (B, 6, H, W), channels 0-2 the full image and
                3-5 its object's crop (``StackObjectCrop``).

        Returns:
            tuple[torch.Tensor]: One (B, D) tensor, a tuple as backbones
            return.

        Raises:
            ValueError: On inputs without 6 channels, or encoders whose
                features differ in size (they cannot be mixed).
        """
        if x.dim() != 4 or x.size(1) != 6:
            raise ValueError(
                f'PartAwareDualEncoder takes 6-channel (image, crop) inputs '
                f'(StackObjectCrop), got shape {tuple(x.shape)}')
        image = self.image_encoder(x[:, :3])[-1]
        image = image.flatten(2).mean(2)
        crop = self.crop_encoder(x[:, 3:])[-1]
        if image.shape != crop.shape:
            raise ValueError(
                f'the image encoder gives {tuple(image.shape)} features, '
                f'the crop encoder {tuple(crop.shape)}: they must match to '
                f'be mixed')
        weight = self.image_weight
        return (weight * image + (1 - weight) * crop, )
