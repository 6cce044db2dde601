# Copyright (c) mmpart contributors. All rights reserved.
"""ImageNet-C: 15 corruptions x 5 severities, from its folders or made on
the fly from clean images."""
import os.path as osp
from typing import List, Optional, Sequence, Union

from mmengine import fileio

from mmpart.registry import DATASETS
from ..lists import read_image_list, resolve_data_file
from .wnid_folder_dataset import WnidFolderDataset

#: The 15 ImageNet-C test corruptions, in the benchmark's order.
IMAGENET_C_CORRUPTIONS = (
    'gaussian_noise', 'shot_noise', 'impulse_noise', 'defocus_blur',
    'glass_blur', 'motion_blur', 'zoom_blur', 'snow', 'frost', 'fog',
    'brightness', 'contrast', 'elastic_transform', 'pixelate',
    'jpeg_compression')
IMAGENET_C_SEVERITIES = (1, 2, 3, 4, 5)


@DATASETS.register_module()
class ImageNetCDataset(WnidFolderDataset):
    """ImageNet-C, every (corruption, severity) pair in one dataset.

    Each data info carries ``corruption`` and ``severity`` (pack them with
    ``PackInputs(meta_keys=...)`` for :class:`ImageNetCMetric`).

    Two sources:

    - ``clean_ann_file=None``: the released folders,
      ``<data_root>/<data_prefix>/<corruption>/<severity>/<wnid>/<image>``.
      An absent (corruption, severity) folder is an error unless
      ``skip_missing``, which logs and counts it in ``self.skipped``.
    - ``clean_ann_file`` given: a list of clean images
      (``<wnid>/<file> <label>`` lines, e.g. the 10k val subset, read
      under ``data_prefix``), repeated once per pair; put
      ``ImageNetCorruption`` in the pipeline to corrupt them on the fly.

    Args:
        data_root (str): The ImageNet-C root, or the clean image root.
        data_prefix (str | dict): Folder under ``data_root``.
            Defaults to ``''``.
        corruptions (Sequence[str]): Defaults to the 15 test corruptions.
        severities (Sequence[int]): Defaults to 1 to 5.
        clean_ann_file (str, optional): Clean image list for on-the-fly
            corruption (relative to ``data_root`` unless absolute, or
            ``'mmpart::<file name>'``).
        skip_missing (bool): Skip absent folders instead of failing.
            Defaults to False.
        **kwargs: Other ``WnidFolderDataset`` arguments (``classes``, ...).
    """

    def __init__(self,
                 data_root: str,
                 data_prefix: Union[str, dict] = '',
                 corruptions: Sequence[str] = IMAGENET_C_CORRUPTIONS,
                 severities: Sequence[int] = IMAGENET_C_SEVERITIES,
                 clean_ann_file: Optional[str] = None,
                 skip_missing: bool = False,
                 **kwargs):
        bad = [s for s in severities if s not in IMAGENET_C_SEVERITIES]
        if bad:
            raise ValueError(f'severities must be in 1..5, got {bad}')
        self.corruptions = tuple(corruptions)
        self.severities = tuple(severities)
        self.clean_ann_file = clean_ann_file
        self.skip_missing = skip_missing
        super().__init__(data_root, data_prefix, **kwargs)

    def _clean_infos(self) -> List[dict]:
        """Data infos of the clean list (one pass, no corruption yet)."""
        entries = read_image_list(
            resolve_data_file(self.clean_ann_file, self.data_root),
            num_classes=len(self.wnids))
        return [
            dict(img_path=fileio.join_path(self.data_prefix['img_path'],
                                           entry.path),
                 gt_label=entry.label) for entry in entries
        ]

    def load_data_list(self) -> List[dict]:
        root = self.data_prefix['img_path']
        clean = self._clean_infos() if self.clean_ann_file else None
        infos = []
        for corruption in self.corruptions:
            for severity in self.severities:
                extra = dict(corruption=corruption, severity=severity)
                if clean is not None:
                    infos.extend(dict(info, **extra) for info in clean)
                    continue
                folder = osp.join(root, corruption, str(severity))
                if not osp.isdir(folder):
                    if not self.skip_missing:
                        raise FileNotFoundError(
                            f'ImageNet-C folder {folder} is missing (pass '
                            'skip_missing=True to evaluate what is there)')
                    self._skip('missing_folders')
                    continue
                infos.extend(self._scan(folder, extra))
        self._report(infos, root)
        return infos
