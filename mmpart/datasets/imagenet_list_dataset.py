# Copyright (c) mmpart contributors. All rights reserved.
from functools import cached_property
from typing import List, Mapping, Optional, Sequence, Union

from mmengine import fileio
from mmengine.fileio import BaseStorageBackend
from mmpretrain.datasets import BaseDataset
from mmpretrain.datasets.categories import IMAGENET_CATEGORIES

from mmpart.registry import DATASETS
from .lists import ImageListEntry, read_image_list, resolve_bundled


@DATASETS.register_module()
class ImageNetListDataset(BaseDataset):
    """ImageNet images read from a ``<wnid>/<file> <label>`` list.

    mmpretrain's ``ImageNet`` reads the same lists but cannot reach the
    lists bundled with mmpart; this one accepts ``'mmpart::<file name>'``
    for ``ann_file`` and ``classes`` (resolved before mmengine joins
    relative paths with ``data_root``), checks every line and names
    ``file:line`` on a bad one. Classes default to the 1000 ImageNet-1K
    names, as in mmpretrain's ``ImageNet``; ``classes`` or ``metainfo``
    change them, and labels must be below their number.

    Each data info holds ``img_path`` and ``gt_label``.

    Args:
        ann_file (str): The list, relative to ``data_root`` unless
            absolute, or ``'mmpart::<file name>'``.
        data_root (str): Root of ``ann_file`` and ``data_prefix``.
            Defaults to ``''``.
        data_prefix (str | dict): The image folder (``img_path``) under
            ``data_root``. Defaults to ``''``.
        classes (str | Sequence[str], optional): Class names, or a file
            with one a line (``'mmpart::<file name>'`` allowed).
        backend_args (dict, optional): mmengine file backend arguments for
            reading the list.
        **kwargs: Other mmpretrain ``BaseDataset`` arguments.

    Examples:
        >>> dataset = ImageNetListDataset(
        ...     data_root='data/imagenet',
        ...     ann_file='mmpart::imagenet_val_subset_10k.txt',
        ...     data_prefix='val')
        >>> len(dataset), dataset.get_data_info(0)['gt_label']
        (10000, 0)
    """
    METAINFO = dict(classes=IMAGENET_CATEGORIES)

    def __init__(self,
                 ann_file: str,
                 data_root: str = '',
                 data_prefix: Union[str, dict] = '',
                 classes: Optional[Union[str, Sequence[str]]] = None,
                 backend_args: Optional[dict] = None,
                 **kwargs):
        self.backend_args = backend_args
        super().__init__(
            ann_file=resolve_bundled(ann_file),
            data_root=data_root,
            data_prefix=data_prefix,
            classes=resolve_bundled(classes),
            **kwargs)

    @cached_property
    def img_backend(self) -> BaseStorageBackend:
        """The file backend of the image folder (built once)."""
        return fileio.get_file_backend(
            self.img_prefix, backend_args=self.backend_args)

    def labels_by_wnid(self) -> Optional[Mapping[str, int]]:
        """Labels of list lines that have none, by wnid; None makes a line
        without a label an error."""
        return None

    def parse_data_info(self, entry: ImageListEntry) -> dict:
        """The data info of one list entry.

        Args:
            entry (ImageListEntry): The parsed line.

        Returns:
            dict: ``img_path`` and ``gt_label``.
        """
        return dict(
            img_path=self.img_backend.join_path(self.img_prefix, entry.path),
            gt_label=entry.label)

    def load_data_list(self) -> List[dict]:
        """Read the list (see :func:`~mmpart.datasets.read_image_list`)."""
        classes = self.metainfo.get('classes')
        entries = read_image_list(
            self.ann_file,
            label_of=self.labels_by_wnid(),
            num_classes=len(classes) if classes else None,
            backend_args=self.backend_args)
        return [self.parse_data_info(entry) for entry in entries]
