# Copyright (c) mmpart contributors. All rights reserved.
from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

import numpy as np
import torch

from mmpart.datasets import MAP_IGNORE_INDEX, LabelSpace
from mmpart.models import PartEncoderDecoder
from mmpart.models.segmentors import OriginalSizeLogits, part_range_classes
from mmpart.models.utils import chunked_logsumexp, chunked_max

#: Outcomes of labelling an image. Only ``WRITTEN`` masks are kept: an
#: ``EMPTY`` mask (no part pixel left) or an ``ALL_IGNORED`` one (no
#: confident pixel) is reported instead of written as background.
WRITTEN = 'written'
EMPTY = 'empty'
ALL_IGNORED = 'all_ignored'

#: One packed view of an image: the output of the inference pipeline,
#: ``dict(inputs=(3, H, W) tensor, data_samples=SegDataSample)``.
PackedView = dict


@dataclass
class PseudoLabel:
    """The pseudo part mask of one image and what it is made of.

    Args:
        part_map (np.ndarray): ``(H, W)`` uint16 global part ids at the
            image's size: 0 background, the image's own class's part ids
            (class-conditioned), 65535 where the confidence is below the
            threshold.
        confidence (float): Mean over the pixels of the predicted class's
            probability (averaged over the views).
        ignored_fraction (float): Share of pixels set to 65535.
    """
    part_map: np.ndarray
    confidence: float
    ignored_fraction: float

    @property
    def status(self) -> str:
        """:data:`WRITTEN`, :data:`EMPTY` or :data:`ALL_IGNORED`."""
        if self.ignored_fraction >= 1.0:
            return ALL_IGNORED
        labelled = self.part_map[self.part_map != MAP_IGNORE_INDEX]
        return WRITTEN if labelled.any() else EMPTY

    def object_map(self, object_id: int) -> np.ndarray:
        """The object mask it implies: ``object_id`` on the parts, 0 on the
        background, 65535 where ignored.

        Args:
            object_id (int): The image's object id
                (:func:`~mmpart.structures.object_map_id`).

        Returns:
            np.ndarray: ``(H, W)`` uint16.
        """
        ignored = self.part_map == MAP_IGNORE_INDEX
        obj = ((self.part_map > 0) & ~ignored).astype(np.uint16) * object_id
        obj[ignored] = MAP_IGNORE_INDEX
        return obj


class PseudoLabeller:
    """Pseudo part masks from a PIN++ part segmenter, for images whose class
    is known.

    PIN++ (Li et al., ECCV 2024) labels the ImageNet train images without
    human part masks with a part segmenter trained on PIN++. The image's
    class is known, so by default the prediction is **class-conditioned**:
    the argmax runs over the background and the parts of that class only
    (its block of global ids), never another class's parts. Per pixel the
    confidence is the predicted class's softmax probability over those
    candidates, averaged over the views (the image and, for flip
    test-time augmentation, its mirror); pixels below ``min_score`` get the
    ignore value 65535, which MPM's part loss skips.

    Unconditioned labelling (``class_conditioned=False``) takes the argmax
    and softmax over every part class, ``class_chunk`` classes at a time,
    for comparison.

    Args:
        model (PartEncoderDecoder): The segmenter, in eval mode.
        label_space (LabelSpace): The PIN++ label space of its classes.
        min_score (float): Confidence below which a pixel is ignored; 0
            keeps every pixel. Defaults to 0.5.
        class_conditioned (bool): Restrict to the image's class's parts.
            Defaults to True.
    """

    def __init__(self,
                 model: PartEncoderDecoder,
                 label_space: LabelSpace,
                 min_score: float = 0.5,
                 class_conditioned: bool = True):
        if not isinstance(model, PartEncoderDecoder):
            raise TypeError(
                'pseudo-labelling restricts the prediction to an image\'s '
                'own parts, which needs a PartEncoderDecoder (model type '
                f'mmpart.PartEncoderDecoder); got {type(model).__name__}')
        if model.num_classes != label_space.num_part_classes:
            raise ValueError(
                f'the model predicts {model.num_classes} classes but the '
                f'label space has {label_space.num_part_classes} part '
                'classes')
        if not 0 <= min_score <= 1:
            raise ValueError(f'min_score must be in [0, 1], got {min_score}')
        self.model = model
        self.label_space = label_space
        self.min_score = min_score
        self.class_conditioned = class_conditioned

    def candidates(self, wnid: str, device: torch.device) -> torch.Tensor:
        """The classes an image of class ``wnid`` may be labelled with.

        Args:
            wnid (str): The image's class.
            device (torch.device): Where the tensor goes.

        Returns:
            Tensor: int64 class ids, the background first.
        """
        if not self.class_conditioned:
            return torch.arange(
                self.label_space.num_part_classes, device=device)
        return part_range_classes(self.label_space.part_id_range(wnid),
                                  device)

    def _views_logits(self, images: Sequence[Sequence[PackedView]]
                      ) -> List[List[Tuple[OriginalSizeLogits, int]]]:
        """Run the network on every view, grouped by input size (a batch
        must share one size), and say where each image's views are."""
        groups: Dict[tuple, List[Tuple[int, PackedView]]] = {}
        for i, views in enumerate(images):
            for view in views:
                groups.setdefault(tuple(view['inputs'].shape),
                                  []).append((i, view))
        where: List[List[Tuple[OriginalSizeLogits, int]]] = [
            [] for _ in images
        ]
        for members in groups.values():
            data = self.model.data_preprocessor(
                dict(
                    inputs=[view['inputs'] for _, view in members],
                    data_samples=[view['data_samples']
                                  for _, view in members]), False)
            logits = self.model.original_size_logits(data['inputs'],
                                                     data['data_samples'])
            for index, (i, _) in enumerate(members):
                where[i].append((logits, index))
        return where

    def _label_one(self, views: List[Tuple[OriginalSizeLogits, int]],
                   candidates: torch.Tensor) -> PseudoLabel:
        """Average the views' probabilities over the candidates, take the
        most probable one per pixel and threshold its probability."""
        chunk = self.model.class_chunk
        count = len(candidates)
        normalisers = [
            chunked_logsumexp(lambda c, v=v, i=i: v(i, candidates[c]), count,
                              chunk) for v, i in views
        ]

        def mean_probs(classes: slice) -> torch.Tensor:
            return sum(
                torch.exp(v(i, candidates[classes]) - lse)
                for (v, i), lse in zip(views, normalisers)) / len(views)

        confidence, best = chunked_max(mean_probs, count, chunk)
        part_map = candidates[best]
        ignored = confidence < self.min_score
        part_map[ignored] = MAP_IGNORE_INDEX
        return PseudoLabel(
            part_map=part_map.cpu().numpy().astype(np.uint16),
            confidence=float(confidence.double().mean()),
            ignored_fraction=float(ignored.double().mean()))

    @torch.no_grad()
    def label(self, images: Sequence[Sequence[PackedView]],
              wnids: Sequence[str]) -> List[PseudoLabel]:
        """Pseudo-label a batch of images.

        Args:
            images (Sequence[Sequence[PackedView]]): Each image's views
                (from the inference pipeline; a flipped view carries
                ``flip=True`` in its metainfo and is flipped back).
            wnids (Sequence[str]): Each image's class.

        Returns:
            list[PseudoLabel]: One per image, at its original size.
        """
        if len(images) != len(wnids):
            raise ValueError(f'{len(images)} images but {len(wnids)} wnids')
        if not images:
            return []
        device = next(self.model.parameters()).device
        return [
            self._label_one(views, self.candidates(wnid, device))
            for views, wnid in zip(self._views_logits(images), wnids)
        ]
