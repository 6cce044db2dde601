# Copyright (c) mmpart contributors. All rights reserved.
from typing import Optional, Sequence, Union

import torch
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger

from mmpart.datasets.robustness import (SHAPE_BIAS_16_CLASSES,
                                        load_coarse_categories)
from mmpart.registry import METRICS


@METRICS.register_module()
class ShapeBias(BaseMetric):
    """Shape bias on cue-conflict images (Geirhos et al. 2019).

    The classifier's scores (softmax) are averaged over the fine classes of
    each coarse category and the highest category is the decision. Images
    whose shape and texture categories agree are left out. Keys (with the
    prefix): ``shape_match`` and ``texture_match``, the percentages of
    decisions naming the shape or the texture category, and
    ``shape_bias`` = shape / (shape + texture) decisions (left out, with a
    warning, when no decision names either).

    Args:
        categories (str | dict): Coarse categories, as for
            ``CueConflictDataset`` (the same file, ``'mmpart::<file
            name>'`` allowed). Defaults to the 16 ImageNet ones.
        prefix (str): Key prefix. Defaults to ``'shape'``.
        collect_device (str): Defaults to ``'cpu'``.

    Examples:
        >>> import torch
        >>> from mmengine.evaluator import Evaluator
        >>> from mmpretrain.structures import DataSample
        >>> from mmpart.evaluation import ShapeBias
        >>> # Two coarse categories over three fine classes.
        >>> evaluator = Evaluator(ShapeBias(dict(cat=[0, 1], dog=[2])))
        >>> # A cat shape with a dog texture, decided cat; then dog.
        >>> evaluator.process([
        ...     DataSample(metainfo=dict(shape_label=0, texture_label=1))
        ...     .set_pred_score(torch.tensor(scores))
        ...     for scores in ([0.4, 0.4, 0.2], [0.1, 0.1, 0.8])])
        >>> metrics = evaluator.evaluate(2)
        >>> metrics['shape/shape_match'], metrics['shape/texture_match']
        (50.0, 50.0)
        >>> metrics['shape/shape_bias']
        0.5
    """
    default_prefix = 'shape'

    def __init__(self,
                 categories: Union[str, dict] = SHAPE_BIAS_16_CLASSES,
                 prefix: Optional[str] = None,
                 collect_device: str = 'cpu'):
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.categories = load_coarse_categories(categories)

    def coarse_scores(self, scores: torch.Tensor) -> torch.Tensor:
        """Mean fine-class score per coarse category.

        Args:
            scores (Tensor): ``(N, num_classes)`` softmax scores.

        Returns:
            Tensor: ``(N, num_categories)``.
        """
        return torch.stack([scores[:, idx].mean(1)
                            for idx in self.categories.values()], 1)

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        scores = torch.stack([s['pred_score'].cpu() for s in data_samples])
        decisions = self.coarse_scores(scores).argmax(1).tolist()
        for sample, decision in zip(data_samples, decisions):
            if 'shape_label' not in sample or 'texture_label' not in sample:
                raise KeyError('ShapeBias needs shape_label and texture_label'
                               ' in the sample metainfo (PackInputs '
                               'meta_keys)')
            shape, texture = sample['shape_label'], sample['texture_label']
            if shape != texture:
                self.results.append((decision == shape, decision == texture))

    def compute_metrics(self, results: list) -> dict:
        if not results:
            raise ValueError('no cue-conflict image with different shape and'
                             ' texture categories')
        shape = sum(s for s, _ in results)
        texture = sum(t for _, t in results)
        metrics = dict(shape_match=100.0 * shape / len(results),
                       texture_match=100.0 * texture / len(results))
        if shape + texture:
            metrics['shape_bias'] = shape / (shape + texture)
        else:
            MMLogger.get_current_instance().warning(
                'ShapeBias: no decision names the shape or the texture '
                'category; shape bias undefined')
        return metrics
