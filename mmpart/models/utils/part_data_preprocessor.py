# Copyright (c) mmpart contributors. All rights reserved.
from typing import Optional

import torch
from mmpretrain.models.utils import ClsDataPreprocessor

from mmpart.datasets.transforms.formatting import is_real_part_map
from mmpart.registry import MODELS
from mmpart.structures import MAP_IGNORE_INDEX, PartTargets, check_ids
from .part_batch_augments import PartRandomBatchAugment, has_part_pixels


@MODELS.register_module()
class PartClsDataPreprocessor(ClsDataPreprocessor):
    """``ClsDataPreprocessor`` that also prepares part targets.

    In training, the samples' ``gt_part_map`` (from ``PackPartInputs``) are
    stacked on the device into :class:`PartTargets` with per-sample weights:
    0 without a real map (see
    :func:`~mmpart.datasets.transforms.formatting.is_real_part_map`) or
    with a map without part pixels (only background, 0, and ignored
    pixels, :data:`~mmpart.datasets.layout.MAP_IGNORE_INDEX`),
    ``pseudo_weight``
    for pseudo labels (``part_map_is_pseudo``), else 1. The batch augments
    (``PartMixup`` / ``PartCutMix``) then mix images, labels and maps with
    one draw. The result carries ``part_targets`` besides ``inputs`` and
    ``data_samples``; in evaluation nothing changes.

    Given the number of part classes, the stacked maps are checked before
    any mix (one pass over the batch): a part id that is neither a class
    nor :data:`~mmpart.datasets.layout.MAP_IGNORE_INDEX` is refused, naming
    the map's file (``seg_map_path``, from ``PackPartInputs``) or, without
    one, the sample. After a mix, and in the part loss, a map no longer
    tells which file a pixel came from.

    Args:
        pseudo_weight (float): Weight of samples with pseudo part maps.
            Defaults to 1.
        num_part_classes (int, optional): Number of part classes, background
            included. ``MPMClassifier`` and ``TwoStagePartClassifier`` set
            it from their part head (:meth:`bind_part_classes`), so configs
            need not repeat it. Defaults to None: not checked here (the part
            loss still refuses such ids, naming only the id).
        batch_augments (dict, optional): ``dict(augments=[...],
            probs=[...])`` of part-aware batch augments.
        **kwargs: Other ``ClsDataPreprocessor`` arguments.

    Examples:
        >>> import torch
        >>> from mmpretrain.structures import DataSample
        >>> from mmpart.models import PartClsDataPreprocessor
        >>> pre = PartClsDataPreprocessor(pseudo_weight=0.5)
        >>> part_map = torch.zeros(4, 4, dtype=torch.long)
        >>> part_map[1:3, 1:3] = 7  # a part on the background
        >>> samples = [
        ...     DataSample(metainfo=dict(part_map_is_pseudo=pseudo))
        ...     .set_gt_label(0) for pseudo in (False, True)]
        >>> for sample in samples:
        ...     sample.gt_part_map = part_map
        >>> images = [torch.zeros(3, 4, 4, dtype=torch.uint8)] * 2
        >>> data = pre(dict(inputs=images, data_samples=samples),
        ...            training=True)
        >>> data['part_targets'].maps[0].shape
        torch.Size([2, 4, 4])
        >>> data['part_targets'].sample_weights
        tensor([1.0000, 0.5000])
    """

    def __init__(self,
                 pseudo_weight: float = 1.0,
                 num_part_classes: Optional[int] = None,
                 batch_augments: Optional[dict] = None,
                 **kwargs):
        if batch_augments is not None:
            kwargs['to_onehot'] = True
        super().__init__(batch_augments=None, **kwargs)
        self.pseudo_weight = pseudo_weight
        self.num_part_classes = num_part_classes
        self.part_batch_augments = PartRandomBatchAugment(
            **batch_augments) if batch_augments is not None else None

    def bind_part_classes(self, num_classes: int) -> None:
        """Check the part ids against the model's part classes.

        Args:
            num_classes (int): The part classes of the model's part head.

        Raises:
            ValueError: If ``num_part_classes`` was set to another number.
        """
        if self.num_part_classes not in (None, num_classes):
            raise ValueError(
                f'PartClsDataPreprocessor has num_part_classes='
                f'{self.num_part_classes}, the model {num_classes} part '
                'classes: drop num_part_classes from the preprocessor (the '
                'model sets it) or make them agree')
        self.num_part_classes = num_classes

    def part_targets(self, data_samples: list) -> Optional[PartTargets]:
        """Stack the part maps of a batch with their sample weights.

        Args:
            data_samples (list[DataSample]): The batch's samples.

        Returns:
            PartTargets | None: None if the samples carry no part maps.

        Raises:
            ValueError: With ``num_part_classes`` set, on a part id that is
                neither a class nor the ignore value, naming the map's file
                (or the sample without one) and the id.
        """
        if not data_samples or 'gt_part_map' not in data_samples[0]:
            return None
        maps = torch.stack([s.gt_part_map for s in data_samples]).to(
            self.device, non_blocking=True)
        if self.num_part_classes is not None:
            check_ids(maps, self.num_part_classes, MAP_IGNORE_INDEX, [
                s.get('seg_map_path') or f'the part map of sample {i} of '
                'the batch (no seg_map_path)'
                for i, s in enumerate(data_samples)
            ])
        weights = torch.tensor(
            [(self.pseudo_weight if s.get('part_map_is_pseudo', False) else
              1.0) * float(is_real_part_map(s))
             for s in data_samples],
            device=self.device)
        weights = weights * has_part_pixels(maps)
        return PartTargets(
            maps=[maps],
            coeffs=[torch.ones(len(data_samples), device=self.device)],
            sample_weights=weights)

    def forward(self, data: dict, training: bool = False) -> dict:
        """Normalise, stack labels and, in training, mix with part maps.

        Args:
            data (dict): A batch from the dataloader.
            training (bool): Whether this is a training step.

        Returns:
            dict: ``inputs``, ``data_samples`` and, in training with part
            maps, ``part_targets``.
        """
        data = super().forward(data, training)
        if not training:
            return data
        samples = data['data_samples']
        targets = self.part_targets(samples)
        if self.part_batch_augments is not None:
            scores = torch.stack([s.gt_score for s in samples])
            data['inputs'], scores, targets = self.part_batch_augments(
                data['inputs'], scores, targets)
            for sample, score in zip(samples, scores):
                sample.set_gt_score(score)
        if targets is not None:
            data['part_targets'] = targets
        return data
