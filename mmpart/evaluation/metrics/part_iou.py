# Copyright (c) mmpart contributors. All rights reserved.
from typing import Sequence

from mmseg.evaluation import IoUMetric

from mmpart.registry import METRICS


@METRICS.register_module()
class PartIoUMetric(IoUMetric):
    """mmseg's IoU metric on the part maps of classification samples.

    Reads ``pred_part_map`` (from ``MPMClassifier(predict_parts=True)``)
    and ``gt_part_map`` (from ``PackPartInputs``); samples without a real
    map (``part_map_valid`` False) are skipped. Class names come from the
    dataset's ``part_classes`` (``PINPPClsDataset`` with a label space), not
    its object ``classes``. Results are prefixed ``part``.

    Args:
        ignore_index (int): Defaults to 65535 (16-bit maps).
        prefix (str): Defaults to ``'part'``.
        **kwargs: Other ``IoUMetric`` arguments.
    """

    def __init__(self,
                 ignore_index: int = 65535,
                 prefix: str = 'part',
                 **kwargs):
        super().__init__(ignore_index=ignore_index, prefix=prefix, **kwargs)

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Accumulate intersections and unions of the valid samples."""
        num_classes = len(self.dataset_meta['part_classes'])
        for sample in data_samples:
            if not sample.get('part_map_valid', False):
                continue
            pred = sample['pred_part_map'].squeeze()
            label = sample['gt_part_map'].squeeze().to(pred)
            self.results.append(
                self.intersect_and_union(pred, label, num_classes,
                                         self.ignore_index))

    def compute_metrics(self, results: list) -> dict:
        """mmseg's metrics, with the part names in the per-class table."""
        if not results:
            raise ValueError('PartIoUMetric saw no sample with a part map: '
                             'evaluate on annotated images (e.g. a converter '
                             'split list)')
        object_meta = self.dataset_meta
        self.dataset_meta = dict(object_meta,
                                 classes=object_meta['part_classes'])
        try:
            return super().compute_metrics(results)
        finally:
            self.dataset_meta = object_meta
