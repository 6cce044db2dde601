# Copyright (c) mmpart contributors. All rights reserved.
"""Loading transforms: images and part maps, with the file named in every
decoding error (cv2 names none: a zero-byte JPEG gives ``!buf.empty()``)."""
from typing import Optional

import mmcv
import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms import LoadImageFromFile as MMCVLoadImageFromFile
from mmengine import fileio

from mmpart.registry import TRANSFORMS


class ImageDecodeError(ValueError):
    """An image or map file that cannot be decoded; the message names it.

    Args:
        path (str): The file.
        error (Exception): The decoder's error.
    """

    def __init__(self, path: str, error: Exception):
        super().__init__(f'{path}: cannot decode the file '
                         f'({type(error).__name__}: {error})')
        self.path = path


@TRANSFORMS.register_module()
class LoadImageFromFile(MMCVLoadImageFromFile):
    """mmcv's ``LoadImageFromFile``, naming the file in a decoding error.

    Registered under mmcv's name in mmpart's scope, so every mmpart config's
    ``dict(type='LoadImageFromFile')`` gets it; arguments and results are
    mmcv's. A damaged JPEG that the decoder still decodes (it prints
    "Corrupt JPEG data" and returns wrong pixels) raises nothing here: the
    PIN++ converter, which decodes every image it converts with the same
    decoder and reads its warnings, finds and reports those
    (``image_corrupt``, see :mod:`mmpart.converters.image_check`).

    Required keys: ``img_path``.
    Added keys: ``img``, ``img_shape``, ``ori_shape``.

    Examples:
        >>> from mmpart.registry import TRANSFORMS
        >>> load = TRANSFORMS.build(dict(type='LoadImageFromFile'))
        >>> load(dict(img_path='empty.JPEG'))  # a zero-byte file
        Traceback (most recent call last):
        ImageDecodeError: empty.JPEG: cannot decode the file (error: ...)
    """

    def transform(self, results: dict) -> Optional[dict]:
        """Load the image as mmcv does.

        Args:
            results (dict): The sample.

        Returns:
            dict, optional: The sample with the image (None for an
            unreadable one with ``ignore_empty``, as mmcv's).

        Raises:
            ImageDecodeError: The file cannot be decoded (a missing file is
                mmengine's ``FileNotFoundError``, which names it).
        """
        try:
            return super().transform(results)
        except FileNotFoundError:
            raise
        except Exception as error:
            raise ImageDecodeError(results['img_path'], error) from error


@TRANSFORMS.register_module()
class LoadPartMap(BaseTransform):
    """Load a 16-bit map of global part (or object) ids.

    mmseg's ``LoadAnnotations`` casts maps to uint8, which breaks ids past
    255; this keeps them. A sample without a map (``seg_map_path`` None, e.g.
    an ImageNet val image) gets an all-background map of the image's size and
    ``part_map_valid=False``, so batches still collate and the loss can give
    it zero weight. Must run after the image is loaded; the map must have
    the loaded image's size (``ori_shape``), also when it is loaded after a
    ``Resize``.

    Required keys: ``img``, ``seg_map_path`` (may be None).
    Added keys: ``gt_seg_map`` (uint16 H×W), ``part_map_valid``.

    Args:
        backend_args (dict, optional): mmengine file backend arguments.
    """

    def __init__(self, backend_args: Optional[dict] = None):
        self.backend_args = backend_args

    def transform(self, results: dict) -> dict:
        """Load the map into ``results['gt_seg_map']``.

        Args:
            results (dict): The sample.

        Returns:
            dict: The sample with the map.
        """
        path = results.get('seg_map_path')
        # The image as loaded: a test pipeline may load the map after a
        # Resize (as mmseg's do), to score at the original size.
        height, width = results.get('ori_shape', results['img'].shape[:2])
        if path is None:
            results['gt_seg_map'] = np.zeros((height, width), np.uint16)
            results['part_map_valid'] = False
            return results
        data = fileio.get(path, backend_args=self.backend_args)
        try:
            part_map = mmcv.imfrombytes(data, flag='unchanged', backend='cv2')
        except Exception as error:
            raise ImageDecodeError(path, error) from error
        if part_map is None or part_map.ndim != 2 or \
                part_map.dtype not in (np.uint8, np.uint16):
            raise ValueError(f'{path}: not a single-channel 8- or 16-bit '
                             'PNG of part ids')
        if part_map.shape != (height, width):
            raise ValueError(f'{path}: map size {part_map.shape} differs '
                             f'from its image {(height, width)}')
        results['gt_seg_map'] = part_map.astype(np.uint16, copy=False)
        results['part_map_valid'] = True
        # mmseg's transforms (RandomCrop, ...) move the keys in seg_fields.
        fields = results.setdefault('seg_fields', [])
        if 'gt_seg_map' not in fields:
            fields.append('gt_seg_map')
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(backend_args={self.backend_args})'
