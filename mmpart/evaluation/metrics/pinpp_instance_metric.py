# Copyright (c) mmpart contributors. All rights reserved.
import contextlib
import io
import os.path as osp
import tempfile
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence, Union

from mmdet.evaluation import CocoMetric
from mmengine.fileio import load
from mmengine.logging import MMLogger

from mmpart.datasets.instance_categories import OBJECT_KIND, PART_KIND
from mmpart.evaluation.functional import evaluate_sparse
from mmpart.registry import METRICS

#: The evaluated groups of categories.
GROUPS = ('object', 'part', 'part_given_object')
#: Names of the first 6 ``COCOeval.summarize()`` numbers, as mmdet's.
AP_NAMES = ('mAP', 'mAP_50', 'mAP_75', 'mAP_s', 'mAP_m', 'mAP_l')


@METRICS.register_module()
class PINPPInstanceMetric(CocoMetric):
    """COCO box and mask AP of PIN++ instance segmentation, for objects,
    parts, and parts given the object, at the scale of PIN++ (4310
    categories).

    The ground truth is the converter's ``annotations/instances_*.json``:
    each category has a ``kind`` ('object' or 'part') and the ``wnid`` of
    its object class, each image the ``wnid`` of its object class. The
    dataset's ``classes`` (``dataset_meta``) are the trained categories'
    names in id order; they are mapped to category ids as mmdet's
    ``CocoMetric`` does. Groups, each evaluated over its categories among
    the classes (a group with none, e.g. the parts of an object-only
    model, is skipped):

    - ``object``: the object categories and their detections.
    - ``part``: the part categories and their detections.
    - ``part_given_object``: as ``part``, after dropping the part
      detections of other objects than the image's (its object class is
      known).

    Only the processed images are evaluated (a test run on a subset gives
    that subset's AP). Evaluation uses :func:`evaluate_sparse`, which gives
    ``COCOeval``'s numbers at a cost linear in the annotations. AP is taken
    at ``max_dets`` detections per image and category (``COCOeval`` caps
    each category in each image); the model caps each image with its
    ``test_cfg`` (``rcnn.max_per_img``), so ``max_dets`` at least that keeps
    every detection.

    ``process`` is ``CocoMetric``'s (it RLE-encodes the masks).

    Args:
        ann_file (str): The COCO-format ground truth json.
        metric (str | Sequence[str]): 'bbox', 'segm' or both. Defaults to
            ('bbox', 'segm').
        max_dets (int): Detections per image (and category) evaluated; AR
            is also reported by ``COCOeval`` at 1 and 10. At least 10.
            Defaults to 300.
        groups (Sequence[str]): Groups to evaluate, among 'object', 'part'
            and 'part_given_object'. Defaults to all.
        format_only (bool): Only write the detections to
            ``{outfile_prefix}.bbox.json`` / ``.segm.json`` (COCO results
            format), without evaluating. Defaults to False.
        outfile_prefix (str, optional): Prefix of those files; required
            with ``format_only``. Defaults to None (a temporary folder).
        backend_args (dict, optional): File backend arguments for reading
            ``ann_file``. Defaults to None.
        collect_device (str): 'cpu' or 'gpu', for collecting results across
            ranks. Defaults to 'cpu'.
        prefix (str, optional): Prefix of the metric names. Defaults to
            None ('coco').

    Examples:
        >>> import json, os.path as osp, tempfile
        >>> import torch
        >>> from mmpart.evaluation import PINPPInstanceMetric
        >>> # One image of object n1 (a dog) and its head, as the converter
        >>> # writes them.
        >>> ann = dict(
        ...     images=[dict(id=1, file_name='n1/a.JPEG', width=20,
        ...                  height=20, wnid='n1')],
        ...     categories=[
        ...         dict(id=1, name='dog', wnid='n1', kind='object'),
        ...         dict(id=2, name='head', wnid='n1', kind='part')],
        ...     annotations=[
        ...         dict(id=1, image_id=1, category_id=1, iscrowd=0,
        ...              bbox=[0, 0, 20, 20], area=400),
        ...         dict(id=2, image_id=1, category_id=2, iscrowd=0,
        ...              bbox=[0, 0, 20, 8], area=160)])
        >>> tmp = tempfile.TemporaryDirectory()
        >>> ann_file = osp.join(tmp.name, 'instances_val.json')
        >>> with open(ann_file, 'w') as f:
        ...     json.dump(ann, f)
        >>> metric = PINPPInstanceMetric(ann_file, metric='bbox')
        loading annotations into memory...
        Done (t=...s)
        creating index...
        index created!
        >>> metric.dataset_meta = dict(classes=['dog', 'head'])
        >>> # Both boxes found exactly.
        >>> metric.process({}, [dict(
        ...     img_id=1, ori_shape=(20, 20), pred_instances=dict(
        ...         bboxes=torch.tensor([[0., 0., 20., 20.],
        ...                              [0., 0., 20., 8.]]),
        ...         scores=torch.tensor([0.9, 0.8]),
        ...         labels=torch.tensor([0, 1])))])
        >>> metrics = metric.evaluate(1)
        >>> metrics['coco/object/bbox_mAP'], metrics['coco/part/bbox_mAP']
        (1.0, 1.0)
        >>> metrics['coco/part_given_object/bbox_mAP']
        1.0
        >>> tmp.cleanup()
    """

    def __init__(self,
                 ann_file: str,
                 metric: Union[str, Sequence[str]] = ('bbox', 'segm'),
                 max_dets: int = 300,
                 groups: Sequence[str] = GROUPS,
                 format_only: bool = False,
                 outfile_prefix: Optional[str] = None,
                 backend_args: Optional[dict] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        metrics = [metric] if isinstance(metric, str) else list(metric)
        for name in metrics:
            if name not in ('bbox', 'segm'):
                raise KeyError(f"metric must be 'bbox' or 'segm', not {name}")
        for group in groups:
            if group not in GROUPS:
                raise KeyError(f'group must be one of {GROUPS}, not {group}')
        if max_dets < 10:
            raise ValueError(f'max_dets must be at least 10, not {max_dets}')
        super().__init__(
            ann_file=ann_file,
            metric=metrics,
            format_only=format_only,
            outfile_prefix=outfile_prefix,
            backend_args=backend_args,
            collect_device=collect_device,
            prefix=prefix)
        self.max_dets = max_dets
        self.groups = tuple(groups)

    def _class_cat_ids(self) -> List[int]:
        """The category id of each of the dataset's classes.

        Returns:
            list[int]: Ids in category order, one per class.

        Raises:
            ValueError: If the class names do not select as many categories
                as there are classes.
        """
        classes = self.dataset_meta['classes']
        cat_ids = self._coco_api.get_cat_ids(cat_names=classes)
        if len(cat_ids) != len(classes):
            raise ValueError(
                f'The {len(classes)} classes name {len(cat_ids)} categories '
                'of the annotation file; the classes must be the names of a '
                'set of its categories, in id order')
        return cat_ids

    def _group_cat_ids(self) -> Dict[str, List[int]]:
        """The categories of each group among the classes.

        Returns:
            dict[str, list[int]]: Category ids of each group that has any.
        """
        cats = self._coco_api.cats
        kinds = dict(
            object=OBJECT_KIND, part=PART_KIND, part_given_object=PART_KIND)
        group_ids = {
            group: [k for k in self.cat_ids if cats[k]['kind'] == kinds[group]]
            for group in self.groups
        }
        return {group: ids for group, ids in group_ids.items() if ids}

    def _load_detections(self, detections: List[dict], group: str,
                         cat_ids: List[int]):
        """The detections of a group's categories as a COCO results API.

        Args:
            detections (list[dict]): Detections in COCO results format.
            group (str): The group (``part_given_object`` drops the part
                detections of another object class than the image's).
            cat_ids (list[int]): The group's categories.

        Returns:
            COCO | None: The results API, None without detections.
        """
        coco = self._coco_api
        wanted = set(cat_ids)
        kept = [
            dict(det) for det in detections
            if det['category_id'] in wanted and (
                group != 'part_given_object' or coco.cats[det['category_id']]
                ['wnid'] == coco.imgs[det['image_id']]['wnid'])
        ]
        if not kept:
            return None
        with contextlib.redirect_stdout(io.StringIO()):
            return coco.loadRes(kept)

    def compute_metrics(self, results: list) -> Dict[str, float]:
        """Compute the metrics from processed results.

        Args:
            results (list): ``(gt, prediction)`` of each processed image,
                from ``CocoMetric.process``.

        Returns:
            dict[str, float]: ``f'{group}/{iou_type}_{name}'`` for each
            evaluated group, iou type ('bbox', 'segm') and name in 'mAP',
            'mAP_50', 'mAP_75', 'mAP_s', 'mAP_m', 'mAP_l': fractions
            rounded to 4 decimals, -1 where no ground truth counts (e.g.
            no large instance). Empty with ``format_only``.
        """
        logger: MMLogger = MMLogger.get_current_instance()
        gts, preds = zip(*results)
        if self.cat_ids is None:
            self.cat_ids = self._class_cat_ids()

        tmp_dir = None
        if self.outfile_prefix is None:
            tmp_dir = tempfile.TemporaryDirectory()
            outfile_prefix = osp.join(tmp_dir.name, 'results')
        else:
            outfile_prefix = self.outfile_prefix
        result_files = self.results2json(preds, outfile_prefix)

        eval_results = OrderedDict()
        if self.format_only:
            logger.info(f'results are saved in {osp.dirname(outfile_prefix)}')
            return eval_results

        img_ids = sorted({gt['img_id'] for gt in gts})
        group_cat_ids = self._group_cat_ids()
        for iou_type in self.metrics:
            detections = load(result_files[iou_type])
            if iou_type == 'segm':
                # Without a box, loadRes takes the mask area for the area
                # ranges (as mmdet's CocoMetric does).
                for det in detections:
                    det.pop('bbox')
            for group, cat_ids in group_cat_ids.items():
                logger.info(f'Evaluating {group} {iou_type} '
                            f'({len(cat_ids)} categories)...')
                result = evaluate_sparse(
                    self._coco_api,
                    self._load_detections(detections, group, cat_ids),
                    iou_type,
                    cat_ids,
                    img_ids,
                    max_dets=(1, 10, self.max_dets))
                aps = [round(float(v), 4) for v in result.stats[:6]]
                for name, ap in zip(AP_NAMES, aps):
                    eval_results[f'{group}/{iou_type}_{name}'] = ap
                logger.info(f'{group}/{iou_type}_mAP_copypaste: ' +
                            ' '.join(f'{ap:.4f}' for ap in aps))

        if tmp_dir is not None:
            tmp_dir.cleanup()
        return eval_results
