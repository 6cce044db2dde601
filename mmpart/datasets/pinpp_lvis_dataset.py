# Copyright (c) mmpart contributors. All rights reserved.
from collections import defaultdict
from typing import List, Optional

from mmdet.datasets import LVISDataset
from mmengine.fileio import get_local_path

from mmpart.registry import DATASETS
from mmpart.visualization import random_palette
from .layout import IMG_DIR, PINPPLayout


@DATASETS.register_module()
class PINPPLVISDataset(LVISDataset):
    """The official PIN++ instance benchmark files (LVIS format), for mmdet.

    Reads ``Pin++_{train,val,test}.json`` and their part-only and
    object-only variants ``Pin++Part_*`` and ``Pin++Object_*`` (the paper's
    ``Benchmark/segmentation``: 4308 categories, 3308 parts and 1000
    objects, ids from 1, ``supercategory`` 'part' or 'object') or the
    converter's files of the same names
    (``tools/dataset_converters/pinpp.py --instances --instances-format
    lvis``). As the official loader (``paco/data/datasets/paco.py``):

    - an image is ``file_name`` under the image root (``data_prefix``'s
      ``img``: the processed layout's ``img/``, a link to ImageNet train;
      the official root holds the same ``<wnid>/<file>`` tree); LVIS v1's
      ``coco_url``, which mmdet's ``LVISV1Dataset`` reads, is not used;
    - annotations with an empty ``segmentation`` are dropped (and an image
      left without annotations is an empty one for ``filter_cfg``);
    - labels follow the category ids in increasing order (the official
      ``category_id - 1`` for its contiguous ids).

    The classes and their order are the file's categories sorted by id (so
    a model's ``num_classes`` is the file's category count: 4308 for
    ``Pin++_*``); the palette is mmpart's fixed random one.
    ``PINPPLVISMetric`` maps the labels back to the ids in the same order.
    Images keep their ``neg_category_ids`` and
    ``not_exhaustive_category_ids`` in the file, where LVIS's evaluation
    reads them.

    Args:
        ann_file (str): The LVIS-format file. Defaults to
            ``'annotations/Pin++_train.json'``.
        data_prefix (dict): Image root. Defaults to ``dict(img='img/')``.
        **kwargs: Other ``LVISDataset`` (``CocoDataset``) arguments.

    Examples:
        >>> dataset = PINPPLVISDataset(
        ...     data_root='data/pinpp',
        ...     ann_file='annotations/Pin++_val.json', test_mode=True)
        >>> len(dataset.metainfo['classes'])
        4308
    """

    #: Filled from the file's categories by ``load_data_list``.
    METAINFO = dict(classes=(), palette=[])

    def __init__(self,
                 ann_file: str = PINPPLayout().lvis_instance_file('train'),
                 data_prefix: Optional[dict] = None,
                 **kwargs):
        super().__init__(
            ann_file=ann_file,
            data_prefix=data_prefix or dict(img=IMG_DIR + '/'),
            **kwargs)

    def load_data_list(self) -> List[dict]:
        """Load the file with the LVIS API; set the classes and palette.

        Returns:
            list[dict]: The samples, as ``CocoDataset`` makes them, without
            the annotations whose segmentation is empty.
        """
        from lvis import LVIS
        with get_local_path(
                self.ann_file, backend_args=self.backend_args) as local_path:
            lvis = LVIS(local_path)
        self.cat_ids = sorted(lvis.get_cat_ids())
        self.cat2label = {cat_id: i for i, cat_id in enumerate(self.cat_ids)}
        categories = lvis.load_cats(self.cat_ids)
        names = tuple(c['name'] for c in categories)
        if self._metainfo.get('classes') and \
                tuple(self._metainfo['classes']) != names:
            raise ValueError(
                f'{self.ann_file}: its categories are not the classes given '
                f'in metainfo ({len(names)} against '
                f'{len(self._metainfo["classes"])}): the classes come from '
                'the file')
        # Tuples: mmdet's visualizer reads a list as several colours.
        self._metainfo.update(
            classes=names,
            palette=[tuple(c) for c in random_palette(len(names) + 1)[1:]])
        data_list = []
        self.cat_img_map = defaultdict(list)
        ann_ids = []
        for img_id in sorted(lvis.get_img_ids()):
            img_info = dict(lvis.load_imgs([img_id])[0], img_id=img_id)
            anns = [
                a for a in lvis.img_ann_map[img_id] if a.get('segmentation')
            ]
            ann_ids += [a['id'] for a in anns]
            for cat_id in {a['category_id'] for a in anns}:
                self.cat_img_map[cat_id].append(img_id)
            data_list.append(
                self.parse_data_info(
                    dict(raw_ann_info=anns, raw_img_info=img_info)))
        if self.ANN_ID_UNIQUE and len(set(ann_ids)) != len(ann_ids):
            raise ValueError(
                f'annotation ids in {self.ann_file} are not unique')
        return data_list
