# Copyright (c) mmpart contributors. All rights reserved.
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence, Union

import numpy as np
import torch
from mmdet.structures.mask import encode_mask_results
from mmengine.evaluator import BaseMetric
from mmengine.fileio import dump, get_local_path
from mmengine.logging import MMLogger

from mmpart.evaluation.functional import (NOT_EXHAUSTIVE_RULES,
                                          evaluate_federated)
from mmpart.registry import METRICS


@METRICS.register_module()
class PINPPLVISMetric(BaseMetric):
    """The PIN++ paper's instance-segmentation metric: LVIS-style federated
    box and mask AP, with obj-AP and part-AP.

    The ground truth is an LVIS-format file (the official PIN++ benchmark
    files, or mmpart's converter with ``--instances-format lvis``), read
    with ``lvis.LVIS``: 1-based category ids with a ``supercategory``
    ('object' or 'part') and a ``frequency``, images with
    ``neg_category_ids`` and ``not_exhaustive_category_ids``. A label is
    the position of its category in the file's sorted ids (the dataset's
    ``cat_ids``); when the dataset gives ``classes``, they must be the
    categories' names in that order.

    Evaluation is :func:`~mmpart.evaluation.functional.evaluate_federated`
    on the processed images: ``lvis.LVISEval``'s numbers (or the official
    ``PACOEval``'s, see ``not_exhaustive``) at a cost linear in the
    annotations; obj-AP / part-AP are the mean AP of the object / part
    categories with a ground truth, each category read at its position
    (the official post-processing reads a neighbour's, see
    ``evaluate_federated``). Up to ``max_dets`` detections per image over
    all categories are evaluated (the best scores), as LVIS's
    ``max_dets=300``; the model's ``test_cfg`` should keep that many.

    ``process`` follows mmdet's ``LVISMetric`` (masks RLE-encoded, and
    ``mask_scores`` used for masks when the model gives them).

    Args:
        ann_file (str): The LVIS-format ground truth json.
        metric (str | Sequence[str]): 'bbox', 'segm' or both. Defaults to
            ('bbox', 'segm').
        max_dets (int): Detections kept per image. Defaults to 300.
        not_exhaustive (str): 'official': the unmatched detections of a
            category listed in the image's ``not_exhaustive_category_ids``
            are false positives, as in the official ``PACOEval`` (which
            comments LVIS's rule out); 'lvis': they are ignored, as in
            ``LVISEval``. Defaults to 'official'.
        format_only (bool): Only write the detections to
            ``{outfile_prefix}.bbox.json`` / ``.segm.json`` (LVIS results
            format), without evaluating. Defaults to False.
        outfile_prefix (str, optional): Prefix of those files, also
            written when evaluating if given; required with
            ``format_only``. Defaults to None.
        backend_args (dict, optional): File backend arguments for reading
            ``ann_file``. Defaults to None.
        collect_device (str): 'cpu' or 'gpu', for collecting results across
            ranks. Defaults to 'cpu'.
        prefix (str, optional): Prefix of the metric names. Defaults to
            None ('lvis').

    Examples:
        >>> val_evaluator = dict(
        ...     type='PINPPLVISMetric',
        ...     ann_file='data/pinpp/annotations/Pin++_val.json',
        ...     metric=['bbox', 'segm'])
        >>> # keys: lvis/segm_AP, lvis/segm_obj-AP, lvis/segm_part-AP, ...
    """
    default_prefix: Optional[str] = 'lvis'

    def __init__(self,
                 ann_file: str,
                 metric: Union[str, Sequence[str]] = ('bbox', 'segm'),
                 max_dets: int = 300,
                 not_exhaustive: str = 'official',
                 format_only: bool = False,
                 outfile_prefix: Optional[str] = None,
                 backend_args: Optional[dict] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        # Imported here: importing lvis configures the root logger and
        # loads matplotlib and OpenCV (lvis.vis).
        from lvis import LVIS

        metrics = [metric] if isinstance(metric, str) else list(metric)
        for name in metrics:
            if name not in ('bbox', 'segm'):
                raise KeyError(f"metric must be 'bbox' or 'segm', not {name}")
        if not_exhaustive not in NOT_EXHAUSTIVE_RULES:
            raise ValueError(f'not_exhaustive must be one of '
                             f'{NOT_EXHAUSTIVE_RULES}, not {not_exhaustive!r}')
        if max_dets < 1:
            raise ValueError(f'max_dets must be positive, not {max_dets}')
        if format_only and outfile_prefix is None:
            raise ValueError('format_only needs an outfile_prefix')
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.metrics = metrics
        self.max_dets = max_dets
        self.not_exhaustive = not_exhaustive
        self.format_only = format_only
        self.outfile_prefix = outfile_prefix
        with get_local_path(ann_file, backend_args=backend_args) as path:
            self._lvis_api = LVIS(path)
        self.cat_ids = sorted(self._lvis_api.cats)

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Keep each image's predictions: boxes ``[x, y, w, h]``, scores,
        labels, and RLE masks (with their scores) when predicted.

        Args:
            data_batch (dict): A batch from the dataloader (unused).
            data_samples (Sequence[dict]): The predicted data samples, with
                ``img_id`` and ``pred_instances`` (``bboxes`` in xyxy,
                ``scores``, ``labels``, optionally ``masks`` and
                ``mask_scores``).
        """
        for sample in data_samples:
            pred = sample['pred_instances']
            bboxes = pred['bboxes'].cpu().numpy()
            result = dict(
                img_id=sample['img_id'],
                bboxes=np.concatenate(
                    [bboxes[:, :2], bboxes[:, 2:] - bboxes[:, :2]], axis=1),
                scores=pred['scores'].cpu().numpy(),
                labels=pred['labels'].cpu().numpy())
            if 'masks' in pred:
                masks = pred['masks']
                if isinstance(masks, torch.Tensor):
                    masks = encode_mask_results(masks.detach().cpu().numpy())
                result['masks'] = masks
                result['mask_scores'] = pred['mask_scores'].cpu().numpy(
                ) if 'mask_scores' in pred else result['scores']
            self.results.append(result)

    def _check_classes(self) -> None:
        """Refuse a dataset whose classes are not the file's categories in
        id order (its labels would name other categories).

        Raises:
            ValueError: If ``dataset_meta['classes']`` differs from the
                category names sorted by id.
        """
        classes = (self.dataset_meta or {}).get('classes')
        if classes is None:
            return
        names = [self._lvis_api.cats[k]['name'] for k in self.cat_ids]
        if list(classes) != names:
            raise ValueError(
                f'The dataset has {len(classes)} classes; the annotation '
                f'file {len(names)} categories. A label must be the position '
                'of its category in the sorted category ids: the classes '
                'must be the category names in id order')

    def _to_lvis_results(self, results: List[dict]) -> Dict[str, List[dict]]:
        """The predictions in LVIS results format.

        Args:
            results (list[dict]): What ``process`` kept.

        Returns:
            dict[str, list[dict]]: 'bbox' and, when masks were predicted,
            'segm' detections (each mask with its box, as mmdet writes).
        """
        detections = dict(bbox=[], segm=[])
        for result in results:
            for i, label in enumerate(result['labels']):
                det = dict(
                    image_id=result['img_id'],
                    category_id=self.cat_ids[label],
                    bbox=[float(v) for v in result['bboxes'][i]],
                    score=float(result['scores'][i]))
                detections['bbox'].append(det)
                if 'masks' not in result:
                    continue
                rle = result['masks'][i]
                counts = rle['counts']
                detections['segm'].append(
                    dict(det,
                         score=float(result['mask_scores'][i]),
                         segmentation=dict(
                             size=rle['size'],
                             counts=counts.decode()
                             if isinstance(counts, bytes) else counts)))
        return detections

    def compute_metrics(self, results: list) -> Dict[str, float]:
        """Compute the metrics from processed results.

        Args:
            results (list): What ``process`` kept, for each image.

        Returns:
            dict[str, float]: ``f'{iou_type}_{name}'`` for each iou type
            ('bbox', 'segm') and name in ``AP``, ``AP50``, ``AP75``,
            ``APs``, ``APm``, ``APl``, ``APr``, ``APc``, ``APf``,
            ``AR@{max_dets}``, ``ARs@``, ``ARm@``, ``ARl@``, ``obj-AP``,
            ``part-AP``: fractions rounded to 4 decimals, -1 where nothing
            counts. Empty with ``format_only``.

        Raises:
            ValueError: If 'segm' is asked and no mask was predicted, or
                the dataset's classes do not fit the file.
        """
        logger: MMLogger = MMLogger.get_current_instance()
        self._check_classes()
        if 'segm' in self.metrics and not all('masks' in r for r in results):
            raise ValueError("'segm' needs masks in every prediction")
        detections = self._to_lvis_results(results)
        if self.outfile_prefix is not None:
            for iou_type in self.metrics:
                path = f'{self.outfile_prefix}.{iou_type}.json'
                dump(detections[iou_type], path)
                logger.info(f'{iou_type} results are saved in {path}')
        eval_results = OrderedDict()
        if self.format_only:
            return eval_results

        img_ids = sorted({result['img_id'] for result in results})
        for iou_type in self.metrics:
            logger.info(f'Evaluating federated {iou_type} AP '
                        f'({len(self.cat_ids)} categories, {len(img_ids)} '
                        f'images, not_exhaustive={self.not_exhaustive})...')
            summary = evaluate_federated(
                self._lvis_api,
                detections[iou_type],
                iou_type,
                img_ids,
                max_dets=self.max_dets,
                not_exhaustive=self.not_exhaustive).summary
            for name, value in summary.items():
                eval_results[f'{iou_type}_{name}'] = round(float(value), 4)
            logger.info(f'{iou_type}: ' + ' '.join(
                f'{name}={value:.4f}' for name, value in summary.items()))
        return eval_results
