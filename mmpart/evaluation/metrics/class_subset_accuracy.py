# Copyright (c) mmpart contributors. All rights reserved.
from typing import List, Optional, Sequence, Union

import torch
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger

from mmpart.datasets.lists import read_wnid_list
from mmpart.registry import METRICS


@METRICS.register_module()
class ClassSubsetAccuracy(BaseMetric):
    """Top-1 accuracy with the prediction restricted to a subset of the
    classes, as for ImageNet-R and ImageNet-A (200 of the 1000 classes).

    The prediction is the subset class with the highest score; scores are
    the classifier's softmax, whose order on the subset is the logits'. The
    subset is given by wnid and located among ``dataset_meta['classes']``
    (the classifier's wnids). Wnids the classifier lacks are dropped and
    logged (a toy model has 10 classes); a ground truth outside the subset
    is an error.

    Args:
        wnids (str | Sequence[str]): The subset: a file with one wnid per
            line (e.g. ``'mmpart::imagenet_r_wnids.txt'``) or a list.
        prefix (str): Key prefix. Defaults to ``'subset'``.
        collect_device (str): Defaults to ``'cpu'``.

    Examples:
        >>> import torch
        >>> from mmengine.evaluator import Evaluator
        >>> from mmpretrain.structures import DataSample
        >>> from mmpart.evaluation import ClassSubsetAccuracy
        >>> evaluator = Evaluator(ClassSubsetAccuracy(wnids=['n2', 'n3']))
        >>> evaluator.dataset_meta = dict(classes=['n1', 'n2', 'n3'])
        >>> # n1 scores highest but is not in the subset: n3 is the answer.
        >>> evaluator.process([
        ...     DataSample().set_gt_label(2).set_pred_score(
        ...         torch.tensor([0.6, 0.1, 0.3]))])
        >>> evaluator.evaluate(1)
        {'subset/top1': 100.0}
    """
    default_prefix = 'subset'

    def __init__(self,
                 wnids: Union[str, Sequence[str]],
                 prefix: Optional[str] = None,
                 collect_device: str = 'cpu'):
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.wnids = read_wnid_list(wnids)
        self._indices: Optional[torch.Tensor] = None

    def class_indices(self, classes: Sequence[str]) -> List[int]:
        """Positions of the subset's wnids among ``classes`` (sorted).

        Args:
            classes (Sequence[str]): The classifier's wnids in output order.

        Returns:
            list[int]: The output indices making up the subset.
        """
        position = {wnid: i for i, wnid in enumerate(classes)}
        indices = sorted(position[w] for w in self.wnids if w in position)
        if not indices:
            raise ValueError('none of the subset wnids is among the '
                             f'classifier classes {list(classes)[:5]}...')
        if len(indices) < len(self.wnids):
            MMLogger.get_current_instance().warning(
                f'{type(self).__name__}: {len(self.wnids) - len(indices)} of '
                f'{len(self.wnids)} subset wnids are not classifier classes')
        return indices

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        if self._indices is None:
            if not self.dataset_meta or 'classes' not in self.dataset_meta:
                raise ValueError(f'{type(self).__name__} needs the dataset '
                                 'classes (the classifier wnids)')
            self._indices = torch.tensor(
                self.class_indices(self.dataset_meta['classes']))
        for sample in data_samples:
            scores = sample['pred_score'].cpu()[self._indices]
            pred = int(self._indices[scores.argmax()])
            gt = int(sample['gt_label'].view(-1)[0])
            if gt not in self._indices:
                raise ValueError(f'{sample.get("img_path")}: class {gt} is '
                                 'outside the subset')
            self.results.append(pred == gt)

    def compute_metrics(self, results: list) -> dict:
        return dict(top1=100.0 * sum(results) / len(results))
