# Copyright (c) mmpart contributors. All rights reserved.
"""ImageNet-C corruptions on the fly, through ``imagecorruptions``."""
import os.path as osp
import zlib
from typing import Optional

import mmcv
import numpy as np
from mmcv.transforms import BaseTransform

from mmpart.registry import TRANSFORMS

# Corruptions that take their own seed; the rest draw from np.random.
_SEEDED = ('impulse_noise', 'glass_blur')


@TRANSFORMS.register_module()
class ImageNetCorruption(BaseTransform):
    """Corrupt ``img`` as ImageNet-C does (Hendrycks & Dietterich 2019).

    The corruption and severity are the transform's, or else the sample's
    ``corruption`` / ``severity`` keys (set by ``ImageNetCDataset`` with a
    clean list). The noise is seeded from ``seed``, the image file name, the
    corruption and the severity, so a sample is corrupted the same way in
    any worker, process or run; numpy's global random state is restored
    afterwards. ImageNet-C corrupted 224x224 centre crops, so put this after
    the resize and crop. Images keep their shape and uint8 dtype.

    Required keys: ``img`` (BGR uint8), ``img_path`` when seeding by image.
    Modified keys: ``img``.

    Args:
        corruption (str, optional): An ``imagecorruptions`` name (the 15
            test ones, or the 4 validation ones). Defaults to the sample's.
        severity (int, optional): 1 to 5. Defaults to the sample's.
        seed (int): Base seed. Defaults to 0.
    """

    def __init__(self,
                 corruption: Optional[str] = None,
                 severity: Optional[int] = None,
                 seed: int = 0):
        try:
            from imagecorruptions import corrupt, get_corruption_names
        except ImportError as e:
            raise ImportError('on-the-fly ImageNet-C needs imagecorruptions: '
                              'pip install imagecorruptions-imaug') from e
        self._corrupt = corrupt
        self._names = set(get_corruption_names('all'))
        if corruption is not None:
            self._check(corruption, severity or 1)
        self.corruption = corruption
        self.severity = severity
        self.seed = seed

    def _check(self, corruption: str, severity: int) -> None:
        if corruption not in self._names:
            raise ValueError(f'unknown corruption {corruption!r}; known: '
                             f'{sorted(self._names)}')
        if severity not in (1, 2, 3, 4, 5):
            raise ValueError(f'severity must be 1..5, got {severity}')

    def transform(self, results: dict) -> dict:
        corruption = self.corruption or results.get('corruption')
        severity = self.severity or results.get('severity')
        if corruption is None or severity is None:
            raise KeyError('ImageNetCorruption needs a corruption and a '
                           'severity, from its arguments or the sample')
        self._check(corruption, severity)
        key = f'{self.seed}:{osp.basename(results.get("img_path", ""))}:' \
              f'{corruption}:{severity}'
        seed = zlib.crc32(key.encode())
        img = results['img']
        rgb = mmcv.bgr2rgb(img) if img.ndim == 3 else img
        kwargs = dict(seed=seed) if corruption in _SEEDED else {}
        state = np.random.get_state()
        np.random.seed(seed)
        try:
            out = self._corrupt(
                rgb, severity=severity, corruption_name=corruption, **kwargs)
        finally:
            np.random.set_state(state)
        if img.ndim == 2:
            out = out[..., 0]
        else:
            out = mmcv.rgb2bgr(out)
        if out.shape != img.shape:
            raise RuntimeError(f'{corruption} changed the image shape from '
                               f'{img.shape} to {out.shape}')
        results['img'] = np.ascontiguousarray(out, dtype=np.uint8)
        results['corruption'] = corruption
        results['severity'] = severity
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(corruption={self.corruption!r}, '
                f'severity={self.severity}, seed={self.seed})')
