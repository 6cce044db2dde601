# Copyright (c) mmpart contributors. All rights reserved.
from typing import List, Optional, Sequence

from mmdet.datasets import CocoDataset

from mmpart.registry import DATASETS
from mmpart.visualization import random_palette
from .instance_categories import CATEGORY_KINDS, instance_class_names
from .label_space import LabelSpace
from .layout import IMG_DIR, LABEL_SPACE_FILE, PINPPLayout
from .lists import resolve_data_file


@DATASETS.register_module()
class PINPPInstanceDataset(CocoDataset):
    """PIN++ instance segmentation (mmdet) on the converter's COCO files.

    Reads ``annotations/instances_<split>.json`` (written by
    ``tools/dataset_converters/pinpp.py --instances``) with the images
    under ``img/``. The classes come from the label space, so every model
    and tool sees the names and order the converter wrote: all object
    categories, then all part categories, or one of the two kinds.
    Instances of the kinds left out are dropped.

    Args:
        categories (Sequence[str]): ``('object', 'part')`` (default),
            ``('part', )`` or ``('object', )``.
        label_space (str): Label-space file, relative to ``data_root``
            unless absolute. Defaults to ``'label_space.tsv'``.
        ann_file (str): Instance file. Defaults to
            ``'annotations/instances_train.json'``.
        data_prefix (dict): Image folder. Defaults to ``dict(img='img/')``.
        data_root (str, optional): The processed PIN++ root.
        metainfo (dict, optional): Overrides of the metainfo (``classes``
            and ``palette`` come from the label space).
        **kwargs: Other ``CocoDataset`` arguments.

    Raises:
        ValueError: The instance file does not hold exactly the label
            space's categories of the chosen kinds (a file from another
            conversion).
    """

    def __init__(self,
                 categories: Sequence[str] = CATEGORY_KINDS,
                 label_space: str = LABEL_SPACE_FILE,
                 ann_file: str = PINPPLayout().instance_file('train'),
                 data_prefix: Optional[dict] = None,
                 data_root: Optional[str] = None,
                 metainfo: Optional[dict] = None,
                 **kwargs):
        self.categories = tuple(categories)
        space = LabelSpace.from_file(
            resolve_data_file(label_space, data_root),
            kwargs.get('backend_args'))
        classes = instance_class_names(space, self.categories)
        # Tuples: mmdet's visualizer reads a list as several colours.
        palette = [tuple(c) for c in random_palette(len(classes) + 1)[1:]]
        meta = dict(classes=classes, palette=palette)
        meta.update(metainfo or {})
        super().__init__(
            ann_file=ann_file,
            data_prefix=data_prefix or dict(img=IMG_DIR + '/'),
            data_root=data_root,
            metainfo=meta,
            **kwargs)

    def load_data_list(self) -> List[dict]:
        """Load the instance file and check it has the classes' categories.

        Returns:
            list[dict]: The samples, as ``CocoDataset`` makes them.
        """
        data_list = super().load_data_list()
        if len(self.cat_ids) != len(self.metainfo['classes']):
            raise ValueError(
                f'{self.ann_file} has {len(self.cat_ids)} categories named '
                f'as the {len(self.metainfo["classes"])} {self.categories} '
                'classes of the label space: it was written by another '
                'conversion; convert again with --instances')
        return data_list
