# Copyright (c) mmpart contributors. All rights reserved.
from typing import Sequence

from mmengine.evaluator import BaseMetric

from mmpart.registry import METRICS


@METRICS.register_module()
class RobustAccuracy(BaseMetric):
    """Top-1 accuracy on adversarial examples (``adv_pred_label``, set by
    ``AdversarialValLoop`` / ``AdversarialTestLoop``), in percent.

    Args:
        prefix (str): Defaults to ``'robust'`` (key ``robust/top1``).
        collect_device (str): Defaults to ``'cpu'``.
    """
    default_prefix = 'robust'

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            self.results.append(
                (int(sample['adv_pred_label'].view(-1)[0]),
                 int(sample['gt_label'].view(-1)[0])))

    def compute_metrics(self, results: list) -> dict:
        hits = sum(p == g for p, g in results)
        return dict(top1=100.0 * hits / len(results))
