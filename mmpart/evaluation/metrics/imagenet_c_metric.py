# Copyright (c) mmpart contributors. All rights reserved.
from collections import defaultdict
from typing import Dict, Optional, Sequence, Union

from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger

from mmpart.datasets.robustness import (IMAGENET_C_CORRUPTIONS,
                                        IMAGENET_C_SEVERITIES)
from mmpart.registry import METRICS

#: AlexNet top-1 error on ImageNet-C per corruption, severities 1 to 5: the
#: reference of the mCE (Hendrycks & Dietterich 2019; their row means are
#: the ALEXNET_ERR values of the robustness benchmark code).
ALEXNET_ERRORS: Dict[str, tuple] = dict(
    gaussian_noise=(0.69528, 0.82542, 0.93554, 0.98138, 0.99452),
    shot_noise=(0.71224, 0.85108, 0.93574, 0.98182, 0.99146),
    impulse_noise=(0.78374, 0.89808, 0.94870, 0.98720, 0.99548),
    defocus_blur=(0.65624, 0.73202, 0.85036, 0.91364, 0.94714),
    glass_blur=(0.64308, 0.75054, 0.88806, 0.91622, 0.93344),
    motion_blur=(0.58430, 0.70048, 0.82108, 0.89750, 0.92638),
    zoom_blur=(0.70008, 0.76992, 0.80784, 0.84198, 0.87198),
    snow=(0.71726, 0.88392, 0.86468, 0.91870, 0.94952),
    frost=(0.61390, 0.79734, 0.88790, 0.89942, 0.93430),
    fog=(0.67474, 0.76050, 0.84378, 0.87260, 0.94500),
    brightness=(0.45140, 0.48502, 0.54048, 0.62166, 0.72440),
    contrast=(0.64548, 0.76150, 0.88874, 0.97760, 0.99270),
    elastic_transform=(0.52596, 0.70116, 0.55686, 0.64076, 0.80554),
    pixelate=(0.52218, 0.54620, 0.73728, 0.87092, 0.91262),
    jpeg_compression=(0.51002, 0.54718, 0.57294, 0.65458, 0.74778))


@METRICS.register_module()
class ImageNetCMetric(BaseMetric):
    """ImageNet-C accuracy by corruption and severity, and the mCE.

    Samples need ``corruption`` and ``severity`` in their metainfo
    (``ImageNetCDataset`` + ``PackInputs(meta_keys=(..., 'corruption',
    'severity'))``). Keys (with the prefix):

    - ``top1``: mean top-1 over every (corruption, severity) evaluated;
    - ``<corruption>/top1`` and ``<corruption>/<severity>/top1``;
    - ``<corruption>/CE``: the summed error over the severities divided by
      the reference's, in percent, for corruptions with all 5 severities;
    - ``mCE``: the mean CE over the 15 test corruptions, only when all are
      complete (a partial mean would not be comparable; it is logged).

    Args:
        reference (str | dict): ``'alexnet'`` (:data:`ALEXNET_ERRORS`, the
            usual reference) or ``{corruption: 5 errors in [0, 1]}``.
        prefix (str): Key prefix. Defaults to ``'imagenet-c'``.
        collect_device (str): Defaults to ``'cpu'``.

    Examples:
        >>> from mmengine.evaluator import Evaluator
        >>> from mmpretrain.structures import DataSample
        >>> from mmpart.datasets.robustness import IMAGENET_C_CORRUPTIONS
        >>> from mmpart.evaluation import ImageNetCMetric
        >>> evaluator = Evaluator(ImageNetCMetric())
        >>> keys = [(corruption, severity)
        ...         for corruption in IMAGENET_C_CORRUPTIONS
        ...         for severity in range(1, 6)]
        >>> # All right but the first, gaussian_noise at severity 1.
        >>> evaluator.process([
        ...     DataSample(metainfo=dict(corruption=corruption,
        ...                              severity=severity))
        ...     .set_gt_label(0).set_pred_label(int(i == 0))
        ...     for i, (corruption, severity) in enumerate(keys)])
        >>> metrics = evaluator.evaluate(len(keys))
        >>> metrics['imagenet-c/gaussian_noise/1/top1']
        0.0
        >>> round(metrics['imagenet-c/mCE'], 2)
        1.5
    """
    default_prefix = 'imagenet-c'

    def __init__(self,
                 reference: Union[str, dict] = 'alexnet',
                 prefix: Optional[str] = None,
                 collect_device: str = 'cpu'):
        super().__init__(collect_device=collect_device, prefix=prefix)
        if reference == 'alexnet':
            reference = ALEXNET_ERRORS
        elif not isinstance(reference, dict):
            raise ValueError(f"reference must be 'alexnet' or a dict, got "
                             f'{reference!r}')
        self.reference = {k: tuple(v) for k, v in reference.items()}

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            if 'corruption' not in sample or 'severity' not in sample:
                raise KeyError('ImageNetCMetric needs corruption and '
                               'severity in the sample metainfo (PackInputs '
                               'meta_keys)')
            hit = int(sample['pred_label'].view(-1)[0]) == int(
                sample['gt_label'].view(-1)[0])
            self.results.append(
                (sample['corruption'], int(sample['severity']), hit))

    def compute_metrics(self, results: list) -> dict:
        hits = defaultdict(list)
        for corruption, severity, hit in results:
            hits[(corruption, severity)].append(hit)
        top1 = {key: 100.0 * sum(v) / len(v) for key, v in hits.items()}
        metrics = dict(top1=sum(top1.values()) / len(top1))
        ces = {}
        for corruption in dict.fromkeys(c for c, _ in sorted(top1)):
            by_severity = {s: top1[(c, s)] for c, s in top1
                           if c == corruption}
            metrics[f'{corruption}/top1'] = sum(by_severity.values()) / len(
                by_severity)
            for severity, value in sorted(by_severity.items()):
                metrics[f'{corruption}/{severity}/top1'] = value
            if (set(by_severity) == set(IMAGENET_C_SEVERITIES)
                    and corruption in self.reference):
                error = sum(100 - v for v in by_severity.values())
                reference = 100 * sum(self.reference[corruption])
                ces[corruption] = 100.0 * error / reference
                metrics[f'{corruption}/CE'] = ces[corruption]
        if set(ces) >= set(IMAGENET_C_CORRUPTIONS):
            metrics['mCE'] = sum(ces[c] for c in IMAGENET_C_CORRUPTIONS) / len(
                IMAGENET_C_CORRUPTIONS)
        else:
            MMLogger.get_current_instance().warning(
                f'ImageNet-C: CE for {len(ces)} of 15 corruptions with all '
                '5 severities; no mCE')
        return metrics
