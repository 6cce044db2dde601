# Copyright (c) mmpart contributors. All rights reserved.
"""Cue-conflict images (shape of one category, texture of another) for the
shape-bias measure of Geirhos et al."""
import json
import os.path as osp
import re
from typing import Dict, List, Optional, Union

from mmengine import fileio
from mmpretrain.datasets.custom import get_samples

from mmpart.registry import DATASETS
from ..lists import META_DIR, resolve_bundled
from .wnid_folder_dataset import FolderTestDataset

#: ``{category: [ImageNet-1K indices]}`` of the 16 coarse categories
#: (bethgelab/model-vs-human ``HumanCategories``).
SHAPE_BIAS_16_CLASSES = osp.join(META_DIR, 'shape_bias_16_classes.json')

# "<shape><n>-<texture><m>.<ext>", e.g. "airplane1-bicycle2.png".
_NAME = re.compile(r'^([a-z_]+?)\d*-([a-z_]+?)\d*\.[^.]+$', re.IGNORECASE)


def load_coarse_categories(
        categories: Union[str, Dict[str, List[int]]],
        backend_args: Optional[dict] = None) -> Dict[str, List[int]]:
    """The coarse categories and the fine class indices of each.

    Args:
        categories (str | dict): A JSON file (or ``'mmpart::<file
            name>'``) or the dict itself.
        backend_args (dict, optional): mmengine file backend arguments.

    Returns:
        dict[str, list[int]]: Category name to class indices, in the file's
        order; an index in two categories is an error.
    """
    if isinstance(categories, str):
        categories = json.loads(
            fileio.get_text(resolve_bundled(categories),
                            backend_args=backend_args))
    seen: Dict[int, str] = {}
    for name, indices in categories.items():
        if not indices:
            raise ValueError(f'coarse category {name!r} has no classes')
        for index in indices:
            if index in seen:
                raise ValueError(f'class {index} is in both {seen[index]!r} '
                                 f'and {name!r}')
            seen[index] = name
    return {name: list(indices) for name, indices in categories.items()}


@DATASETS.register_module()
class CueConflictDataset(FolderTestDataset):
    """Cue-conflict images named ``<shape><n>-<texture><m>.<ext>`` in
    folders (any depth), e.g. ``airplane/airplane1-bicycle2.png``.

    Each data info has ``shape_label`` and ``texture_label`` (indices of the
    coarse categories) and ``gt_label`` = ``shape_label``. Files that do not
    follow the pattern or name an unknown category are skipped, counted in
    ``self.skipped`` and logged.

    Args:
        data_root (str): The cue-conflict root.
        data_prefix (str | dict): Folder under ``data_root``.
            Defaults to ``''``.
        categories (str | dict): Coarse categories (see
            :func:`load_coarse_categories`). Defaults to the 16 of
            :data:`SHAPE_BIAS_16_CLASSES`.
        **kwargs: Other mmpretrain ``BaseDataset`` arguments.
    """

    def __init__(self,
                 data_root: str,
                 data_prefix: Union[str, dict] = '',
                 categories: Union[str, dict] = SHAPE_BIAS_16_CLASSES,
                 **kwargs):
        self.categories = load_coarse_categories(categories)
        super().__init__(data_root, data_prefix, list(self.categories),
                         **kwargs)

    def load_data_list(self) -> List[dict]:
        root = self.data_prefix['img_path']
        if not fileio.isdir(root):
            raise FileNotFoundError(f'no folder {root}')
        index_of = {name: i for i, name in enumerate(self.categories)}
        infos = []
        paths, _ = get_samples(root, None, self._is_image)
        for path in paths:
            match = _NAME.match(osp.basename(path))
            if match is None:
                self._skip('unnamed_files')
            elif not all(m.lower() in index_of for m in match.groups()):
                self._skip('unknown_categories')
            else:
                shape, texture = (index_of[m.lower()]
                                  for m in match.groups())
                infos.append(
                    dict(img_path=fileio.join_path(root, path),
                         gt_label=shape, shape_label=shape,
                         texture_label=texture))
        self._report(infos, root)
        return infos
