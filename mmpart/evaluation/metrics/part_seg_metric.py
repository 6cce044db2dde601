# Copyright (c) mmpart contributors. All rights reserved.
import json
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from mmengine.logging import MMLogger, print_log
from mmseg.evaluation import IoUMetric
from prettytable import PrettyTable

from mmpart.registry import METRICS
from mmpart.structures import MAP_IGNORE_INDEX
from mmpart.utils.atomic_io import atomic_write_bytes
from ..functional.iou_areas import (SparseAreas, percent, sparse_areas,
                                    total_areas)

#: Key suffix of each prediction: class-agnostic, class-aware.
AGNOSTIC, CLASS_AWARE = '', '_class_aware'


def _json_value(value):
    """A reported number for JSON: a float, None for nan."""
    return None if np.isnan(value) else float(value)


def object_mean_iou(class_iou: np.ndarray, part_objects: np.ndarray,
                    num_objects: int) -> np.ndarray:
    """Each object's mean part IoU, skipping nan parts as mmseg's mIoU does.

    Args:
        class_iou (np.ndarray): IoU of each part class, ``(num_classes, )``,
            nan for a class neither predicted nor labelled.
        part_objects (np.ndarray): Object label of each part class, -1 for
            the background (which belongs to no object).
        num_objects (int): Number of objects.

    Returns:
        np.ndarray: ``(num_objects, )``, nan for an object whose parts are
        all nan.
    """
    counted = (part_objects >= 0) & ~np.isnan(class_iou)
    sums = np.bincount(part_objects[counted], weights=class_iou[counted],
                       minlength=num_objects)
    counts = np.bincount(part_objects[counted], minlength=num_objects)
    return np.divide(sums, counts, out=np.full(num_objects, np.nan),
                     where=counts > 0)


@METRICS.register_module()
class PartSegMetric(IoUMetric):
    """mIoU of PIN++ part segmentation, class-agnostic and class-aware, with
    a per-object table (Li et al., "PartImageNet++ Dataset: Scaling up
    Part-based Models for Robust Recognition", ECCV 2024).

    - **Class-agnostic**: ``pred_sem_seg`` against ``gt_sem_seg`` over all
      part classes (3311 with the official table), as mmseg's
      ``IoUMetric``.
    - **Class-aware**: ``pred_class_aware_sem_seg``, the prediction
      restricted to the background and the parts of the image's known
      object (``PartEncoderDecoder`` makes it for samples with
      ``part_id_range``), against the same labels: the part segmentation
      one gets when the classifier is right. Every sample or none must have
      it.
    - **Per object**: each object's mean part IoU, from the part classes'
      IoU grouped by ``dataset_meta['part_objects']``
      (``PINPPPartSegDataset``), logged as a table with
      ``dataset_meta['objects']`` as names.

    Returned keys: mmseg's ``aAcc``, ``mIoU`` and ``mAcc`` (and those of
    ``iou_metrics``); ``mIoU_objects_mean``, the mean over objects of their
    mean part IoU; with class-aware predictions also ``aAcc_class_aware``,
    ``mIoU_class_aware`` and ``mIoU_objects_mean_class_aware``. Means skip
    nan (classes or objects not in the evaluated images), as mmseg does.

    Each sample keeps its sparse areas
    (:mod:`~mmpart.evaluation.functional.iou_areas`); ids that are neither
    a class nor ``ignore_index`` are refused, naming the map. mmseg's
    ``output_dir`` / ``format_only`` are not offered: they write 8-bit
    PNGs, which cannot hold part ids past 255.

    Object segmentation (1001 classes, ``PINPPObjectSegDataset``) needs no
    class of its own: use mmseg's ``IoUMetric`` with ``ignore_index=65535``.

    Args:
        ignore_index (int): Label value left out. Defaults to 65535, the
            ignore value of the 16-bit PIN++ maps.
        iou_metrics (Sequence[str]): mmseg's summary metrics. Defaults to
            ``('mIoU', )``.
        nan_to_num (int, optional): As mmseg: replaces nan per-class values
            (and so the object means built on them). Defaults to None.
        beta (int): As mmseg (for ``mFscore``). Defaults to 1.
        output_file (str, optional): Where to write the metrics, the
            per-class and the per-object values as JSON (percent, nan as
            null), atomically. Defaults to None (no file).
        collect_device (str): Defaults to ``'cpu'``.
        prefix (str, optional): Key prefix. Defaults to None (mmseg's keys).

    Examples:
        >>> val_evaluator = dict(type='PartSegMetric',
        ...                      output_file='work_dirs/part_iou.json')
        >>> # {'aAcc': ..., 'mIoU': ..., 'mAcc': ..., 'mIoU_objects_mean':
        >>> #  ..., 'aAcc_class_aware': ..., 'mIoU_class_aware': ...,
        >>> #  'mIoU_objects_mean_class_aware': ...}
    """

    def __init__(self,
                 ignore_index: int = MAP_IGNORE_INDEX,
                 iou_metrics: Sequence[str] = ('mIoU', ),
                 nan_to_num: Optional[int] = None,
                 beta: int = 1,
                 output_file: Optional[str] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None):
        super().__init__(
            ignore_index=ignore_index,
            iou_metrics=list(iou_metrics),
            nan_to_num=nan_to_num,
            beta=beta,
            collect_device=collect_device,
            prefix=prefix)
        self.output_file = output_file

    def object_groups(self) -> Tuple[np.ndarray, Sequence[str]]:
        """The object label of each part class and the object names.

        Returns:
            tuple[np.ndarray, Sequence[str]]: ``dataset_meta['part_objects']``
            as an int array and ``dataset_meta['objects']``.
        """
        meta = self.dataset_meta or {}
        missing = [key for key in ('classes', 'part_objects', 'objects')
                   if key not in meta]
        if missing:
            raise KeyError(f'{type(self).__name__} needs {missing} in the '
                           'dataset metainfo to group the parts by object '
                           '(PINPPPartSegDataset gives them)')
        part_objects = np.asarray(meta['part_objects'], dtype=np.int64)
        objects = meta['objects']
        if part_objects.shape != (len(meta['classes']), ):
            raise ValueError(f'part_objects has {part_objects.size} entries '
                             f'for {len(meta["classes"])} classes')
        bad = part_objects[(part_objects < -1)
                           | (part_objects >= len(objects))]
        if bad.size:
            raise ValueError(f'part_objects holds {bad[0]}, not an object '
                             f'label of the {len(objects)} objects (or -1)')
        return part_objects, objects

    def sample_areas(self, sample: dict, pred_key: str,
                     num_classes: int) -> SparseAreas:
        """The sparse areas of one prediction of a sample.

        Args:
            sample (dict): The sample, with ``gt_sem_seg`` and ``pred_key``.
            pred_key (str): The prediction field.
            num_classes (int): Number of classes.

        Returns:
            SparseAreas: The areas of the classes present in the prediction
            or the labels.
        """
        name = sample.get('seg_map_path', sample.get('img_path'))
        return sparse_areas(sample[pred_key]['data'].squeeze(),
                            sample['gt_sem_seg']['data'].squeeze(),
                            num_classes, self.ignore_index,
                            f'{name}: {pred_key}', f'{name}: gt_sem_seg')

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Keep each sample's areas, class-agnostic and (when predicted)
        class-aware.

        Args:
            data_batch (dict): The batch (unused).
            data_samples (Sequence[dict]): The predicted samples.
        """
        if not self.results:
            self.object_groups()  # a wrong metainfo fails now, not at the end
        num_classes = len(self.dataset_meta['classes'])
        aware_key = 'pred_class_aware_sem_seg'
        for sample in data_samples:
            self.results.append(
                (self.sample_areas(sample, 'pred_sem_seg', num_classes),
                 self.sample_areas(sample, aware_key, num_classes)
                 if aware_key in sample else None))

    def compute_metrics(self, results: list) -> Dict[str, float]:
        """mmseg's summary and per-class table, the class-aware and the
        per-object values.

        Args:
            results (list): ``(class-agnostic, class-aware or None)`` areas
                per sample.

        Returns:
            dict[str, float]: The keys listed in the class docstring.
        """
        if not results:
            raise ValueError(f'{type(self).__name__} saw no sample: the '
                             'evaluated split is empty')
        part_objects, objects = self.object_groups()
        classes = self.dataset_meta['classes']
        num_aware = sum(aware is not None for _, aware in results)
        if num_aware not in (0, len(results)):
            raise ValueError(
                f'{num_aware} of {len(results)} samples have a class-aware '
                'prediction (pred_class_aware_sem_seg): give every sample '
                'part_id_range (PINPPPartSegDataset + PackPartSegInputs) or '
                'none')
        totals = {AGNOSTIC: total_areas([r[0] for r in results], len(classes))}
        if num_aware:
            totals[CLASS_AWARE] = total_areas([r[1] for r in results],
                                              len(classes))
        metrics = super().compute_metrics([totals[AGNOSTIC]])
        class_values, object_iou = {}, {}
        for suffix, total in totals.items():
            values = self.total_area_to_metrics(*total, ['mIoU'],
                                                self.nan_to_num, self.beta)
            class_values[suffix] = values
            object_iou[suffix] = object_mean_iou(values['IoU'], part_objects,
                                                 len(objects))
            if suffix == CLASS_AWARE:
                metrics['aAcc' + suffix] = percent(values['aAcc'])
                metrics['mIoU' + suffix] = percent(np.nanmean(values['IoU']))
            metrics['mIoU_objects_mean' + suffix] = percent(
                np.nanmean(object_iou[suffix]))
        num_parts = np.bincount(part_objects[part_objects >= 0],
                                minlength=len(objects))
        self.log_object_table(objects, num_parts, object_iou)
        if self.output_file:
            self.write_json(metrics, classes, part_objects, objects,
                            num_parts, class_values, object_iou)
        return metrics

    @staticmethod
    def log_object_table(objects: Sequence[str], num_parts: np.ndarray,
                         object_iou: Dict[str, np.ndarray]) -> None:
        """Log each object's part count and mean part IoU (percent).

        Args:
            objects (Sequence[str]): Object names.
            num_parts (np.ndarray): Part count of each object.
            object_iou (dict[str, np.ndarray]): Mean part IoU of each
                object, by prediction (key suffix).
        """
        table = PrettyTable()
        table.add_column('Object', list(objects))
        table.add_column('Parts', num_parts.tolist())
        for suffix, values in object_iou.items():
            name = 'mIoU' + (' (class-aware)' if suffix else '')
            table.add_column(name, percent(values).tolist())
        logger = MMLogger.get_current_instance()
        print_log('per object results:', logger)
        print_log('\n' + table.get_string(), logger=logger)

    def write_json(self, metrics: dict, classes: Sequence[str],
                   part_objects: np.ndarray, objects: Sequence[str],
                   num_parts: np.ndarray, class_values: Dict[str, dict],
                   object_iou: Dict[str, np.ndarray]) -> None:
        """Write ``output_file``: ``metrics``, ``classes`` (name, object,
        ``IoU`` / ``Acc`` per prediction) and ``objects`` (name,
        ``num_parts``, ``mIoU`` per prediction), in percent, nan as null.

        Args:
            metrics (dict): The returned metrics.
            classes (Sequence[str]): Part-class names.
            part_objects (np.ndarray): Object label of each part class.
            objects (Sequence[str]): Object names.
            num_parts (np.ndarray): Part count of each object.
            class_values (dict[str, dict]): mmseg's per-class ``IoU`` and
                ``Acc``, by prediction (key suffix).
            object_iou (dict[str, np.ndarray]): Mean part IoU of each
                object, by prediction.
        """
        class_rows: List[dict] = [
            dict(name=name,
                 object=objects[obj] if obj >= 0 else None)
            for name, obj in zip(classes, part_objects.tolist())
        ]
        object_rows: List[dict] = [
            dict(name=name, num_parts=int(count))
            for name, count in zip(objects, num_parts)
        ]
        for suffix, values in class_values.items():
            for key in ('IoU', 'Acc'):
                for row, value in zip(class_rows, percent(values[key])):
                    row[key + suffix] = _json_value(value)
            for row, value in zip(object_rows, percent(object_iou[suffix])):
                row['mIoU' + suffix] = _json_value(value)
        report = dict(
            metrics={k: _json_value(v) for k, v in metrics.items()},
            classes=class_rows,
            objects=object_rows)
        atomic_write_bytes(self.output_file,
                           json.dumps(report, indent=1).encode())
