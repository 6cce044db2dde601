# Copyright (c) mmpart contributors. All rights reserved.
from typing import Sequence

from mmseg.evaluation import IoUMetric

from mmpart.datasets.transforms.formatting import is_real_part_map
from mmpart.registry import METRICS
from mmpart.structures import MAP_IGNORE_INDEX
from ..functional.iou_areas import sparse_areas, total_areas


@METRICS.register_module()
class PartIoUMetric(IoUMetric):
    """mmseg's IoU metric on the part maps of classification samples.

    Reads ``pred_part_map`` (from ``MPMClassifier(predict_parts=True)``)
    and ``gt_part_map`` (from ``PackPartInputs``); samples without a real
    map (see
    :func:`~mmpart.datasets.transforms.formatting.is_real_part_map`) are
    skipped. Each sample keeps its
    sparse areas (:mod:`~mmpart.evaluation.functional.iou_areas`); a part id
    that is neither a part class nor ``ignore_index`` is refused, naming the
    map, as training refuses it. Class names come from the dataset's
    ``part_classes`` (``PINPPClsDataset`` with a label space), not its
    object ``classes``. Results are prefixed ``part``.

    Args:
        ignore_index (int): Defaults to 65535 (16-bit maps).
        prefix (str): Defaults to ``'part'``.
        **kwargs: Other ``IoUMetric`` arguments.

    Examples:
        >>> import torch
        >>> from mmengine.evaluator import Evaluator
        >>> from mmpart.evaluation import PartIoUMetric
        >>> evaluator = Evaluator(PartIoUMetric())
        >>> evaluator.dataset_meta = dict(
        ...     classes=['dog'],
        ...     part_classes=['background', 'dog/head', 'dog/body'])
        >>> # One pixel ignored (65535), one head pixel taken for body.
        >>> evaluator.process([dict(
        ...     gt_part_map=torch.tensor([[0, 1, 1], [2, 2, 65535]]),
        ...     pred_part_map=torch.tensor([[[0, 1, 2], [2, 2, 0]]]),
        ...     part_map_valid=True)])
        >>> evaluator.evaluate(1)
        {'part/aAcc': 80.0, 'part/mIoU': 72.22, 'part/mAcc': 83.33}
    """

    def __init__(self,
                 ignore_index: int = MAP_IGNORE_INDEX,
                 prefix: str = 'part',
                 **kwargs):
        super().__init__(ignore_index=ignore_index, prefix=prefix, **kwargs)

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Keep the sparse areas of the samples with a real part map.

        Args:
            data_batch (dict): The batch (unused).
            data_samples (Sequence[dict]): The predicted samples.
        """
        num_classes = len(self.dataset_meta['part_classes'])
        for sample in data_samples:
            if 'gt_part_map' not in sample or not is_real_part_map(sample):
                continue
            name = sample.get('seg_map_path', sample.get('img_path'))
            self.results.append(
                sparse_areas(sample['pred_part_map'].squeeze(),
                             sample['gt_part_map'].squeeze(), num_classes,
                             self.ignore_index, f'{name}: pred_part_map',
                             f'{name}: gt_part_map'))

    def compute_metrics(self, results: list) -> dict:
        """mmseg's metrics, with the part names in the per-class table.

        Args:
            results (list): The sparse areas of each sample.

        Returns:
            dict: mmseg's metrics, prefixed ``part``.
        """
        if not results:
            raise ValueError('PartIoUMetric saw no sample with a part map: '
                             'evaluate on annotated images (e.g. a converter '
                             'split list)')
        object_meta = self.dataset_meta
        part_classes = object_meta['part_classes']
        self.dataset_meta = dict(object_meta, classes=part_classes)
        try:
            return super().compute_metrics(
                [total_areas(results, len(part_classes))])
        finally:
            self.dataset_meta = object_meta
