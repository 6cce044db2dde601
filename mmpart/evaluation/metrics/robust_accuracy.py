# Copyright (c) mmpart contributors. All rights reserved.
from typing import List, Sequence, Tuple

from mmengine.evaluator import BaseMetric

from mmpart.registry import METRICS


@METRICS.register_module()
class RobustAccuracy(BaseMetric):
    """Top-1 accuracy on adversarial examples, in percent.

    Reads ``adv_pred_label``, which ``AdversarialValLoop`` /
    ``AdversarialTestLoop`` add to every sample next to the clean
    prediction; pair it with mmpretrain's ``Accuracy`` for the clean top-1
    on the same images.

    Args:
        collect_device (str): Defaults to ``'cpu'``.
        prefix (str, optional): Defaults to ``'robust'`` (key
            ``robust/top1``).

    Examples:
        >>> test_cfg = dict(type='AdversarialTestLoop', attack='pgd10_linf')
        >>> test_evaluator = [dict(type='Accuracy', topk=(1, )),
        ...                   dict(type='RobustAccuracy')]
    """
    default_prefix = 'robust'

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        """Keep ``(adversarial prediction, label)`` of each sample.

        Args:
            data_batch: The batch (unused).
            data_samples (Sequence[dict]): The predicted samples.
        """
        for sample in data_samples:
            if 'adv_pred_label' not in sample:
                raise KeyError('RobustAccuracy needs adv_pred_label in the '
                               'samples: evaluate with AdversarialValLoop or '
                               'AdversarialTestLoop')
            self.results.append(
                (int(sample['adv_pred_label'].view(-1)[0]),
                 int(sample['gt_label'].view(-1)[0])))

    def compute_metrics(self, results: List[Tuple[int, int]]) -> dict:
        """The robust top-1 over all samples.

        Args:
            results (list[tuple[int, int]]): ``(prediction, label)`` pairs.

        Returns:
            dict: ``top1`` in percent.
        """
        hits = sum(p == g for p, g in results)
        return dict(top1=100.0 * hits / len(results))
