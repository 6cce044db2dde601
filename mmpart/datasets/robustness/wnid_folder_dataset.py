# Copyright (c) mmpart contributors. All rights reserved.
"""ImageNet distribution-shift test sets stored as ``<wnid>/<image>``
folders: ImageNet-R, ImageNet-A, ImageNet-Sketch, Stylized-ImageNet."""
import os.path as osp
from typing import Dict, List, Optional, Sequence, Union

from mmengine import fileio
from mmengine.logging import MMLogger
from mmpretrain.datasets import BaseDataset
from mmpretrain.datasets.custom import find_folders, get_samples

from mmpart.registry import DATASETS
from ..label_space import load_part_counts
from ..lists import META_DIR, read_wnid_list

#: The 200 wnids of ImageNet-R (hendrycks/imagenet-r), sorted.
IMAGENET_R_WNIDS = osp.join(META_DIR, 'imagenet_r_wnids.txt')
#: The 200 wnids of ImageNet-A (hendrycks/natural-adv-examples), sorted.
IMAGENET_A_WNIDS = osp.join(META_DIR, 'imagenet_a_wnids.txt')
#: File suffixes read as images (any case).
IMAGE_SUFFIXES = ('.jpg', '.jpeg', '.png', '.bmp', '.webp', '.ppm', '.pgm',
                  '.tif', '.tiff')


class NoImagesError(FileNotFoundError):
    """A test-set folder exists but holds no usable image."""


def imagenet_wnids() -> List[str]:
    """The 1000 ImageNet-1K wnids in class-index order (sorted)."""
    return list(load_part_counts())


def is_image_file(name: str) -> bool:
    """Whether a file name has an image suffix (any case)."""
    return name.lower().endswith(IMAGE_SUFFIXES)


class FolderTestDataset(BaseDataset):
    """Base of the test sets read by scanning folders: test mode, no list
    file, skips counted in ``self.skipped`` and logged.

    Args:
        data_root (str): Root of the test set.
        data_prefix (str | dict): Folder under ``data_root``.
        classes (Sequence[str]): Class names in output order.
        **kwargs: Other mmpretrain ``BaseDataset`` arguments.
    """

    def __init__(self, data_root: str, data_prefix: Union[str, dict],
                 classes: Sequence[str], **kwargs):
        self.skipped: Dict[str, int] = {}
        kwargs.setdefault('test_mode', True)
        super().__init__(
            ann_file='',
            data_root=data_root,
            data_prefix=data_prefix,
            classes=classes,
            **kwargs)

    def _skip(self, reason: str, count: int = 1) -> None:
        """Count ``count`` skips for ``reason``."""
        if count:
            self.skipped[reason] = self.skipped.get(reason, 0) + count

    def _is_image(self, name: str) -> bool:
        """Whether a file is an image; a file that is not is counted."""
        if is_image_file(name):
            return True
        self._skip('non_image_files')
        return False

    def _report(self, infos: List[dict], where: str) -> None:
        """Log the skips; an empty result is an error."""
        if self.skipped:
            MMLogger.get_current_instance().warning(
                f'{type(self).__name__} {where}: skipped {self.skipped}')
        if not infos:
            raise NoImagesError(
                f'{type(self).__name__}: no usable images in {where}')


@DATASETS.register_module()
class WnidFolderDataset(FolderTestDataset):
    """Test images in ``<wnid>/<image>`` folders, labelled by the position
    of their wnid among the classifier's classes.

    ImageNet-R, ImageNet-A, ImageNet-Sketch and Stylized-ImageNet ship like
    this, with a subset of the 1000 wnids or all of them. Folders whose wnid
    the classifier lacks, and files that are not images, are skipped,
    counted and logged (``self.skipped``). Images may sit in subfolders of
    a wnid folder.

    Args:
        data_root (str): Root of the test set.
        data_prefix (str | dict): Folder holding the wnid folders, under
            ``data_root``. Defaults to ``''``.
        classes (str | Sequence[str], optional): The classifier's wnids in
            output order: a file with one per line (``'mmpart::<file
            name>'`` allowed) or a list. Defaults to the 1000 ImageNet-1K
            wnids.
        **kwargs: Other mmpretrain ``BaseDataset`` arguments.
    """

    def __init__(self,
                 data_root: str,
                 data_prefix: Union[str, dict] = '',
                 classes: Optional[Union[str, Sequence[str]]] = None,
                 **kwargs):
        self.wnids = read_wnid_list(classes or imagenet_wnids())
        super().__init__(data_root, data_prefix, self.wnids, **kwargs)

    def _scan(self, folder: str, extra: Optional[dict] = None) -> List[dict]:
        """Data infos for ``folder/<wnid>/**/<image>``, with ``extra``."""
        if not fileio.isdir(folder):
            raise FileNotFoundError(f'no folder {folder}')
        label_of = {wnid: label for label, wnid in enumerate(self.wnids)}
        folders, _ = find_folders(folder)
        known = {wnid: label_of[wnid] for wnid in folders if wnid in label_of}
        self._skip('unknown_wnid_folders', len(folders) - len(known))
        samples, _ = get_samples(folder, known, self._is_image)
        return [
            dict(img_path=fileio.join_path(folder, path), gt_label=label,
                 **(extra or {})) for path, label in samples
        ]

    def load_data_list(self) -> List[dict]:
        folder = self.data_prefix['img_path']
        infos = self._scan(folder)
        self._report(infos, folder)
        return infos
