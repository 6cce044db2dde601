# Copyright (c) mmpart contributors. All rights reserved.
import cv2
import numpy as np
import pytest
from mmengine.registry import init_default_scope

from mmpart.datasets.transforms import (ImageDecodeError, LoadImageFromFile,
                                        LoadPartMap)
from mmpart.registry import TRANSFORMS


def _jpeg(path, size=(40, 30)):
    rng = np.random.default_rng(0)
    img = (rng.random((size[1], size[0], 3)) * 255).astype(np.uint8)
    cv2.imwrite(str(path), img)
    return img


def test_configs_get_the_loader_that_names_the_file():
    init_default_scope('mmpart')
    assert type(TRANSFORMS.build(dict(type='LoadImageFromFile'))) is \
        LoadImageFromFile


def test_image_decoding_errors_name_the_file(tmp_path):
    load = LoadImageFromFile()
    good = tmp_path / 'good.JPEG'
    _jpeg(good)
    assert load(dict(img_path=str(good)))['img'].shape == (30, 40, 3)
    # A zero-byte file: cv2 says only "!buf.empty()".
    empty = tmp_path / 'empty.JPEG'
    empty.write_bytes(b'')
    with pytest.raises(ImageDecodeError, match=r'empty.JPEG: cannot decode'):
        load(dict(img_path=str(empty)))
    garbage = tmp_path / 'garbage.JPEG'
    garbage.write_bytes(b'\xff\xd8\xff\xe0 not really a jpeg')
    with pytest.raises(ImageDecodeError, match=r'garbage.JPEG: cannot'):
        load(dict(img_path=str(garbage)))
    # mmcv's options are kept: ignore_empty skips the sample.
    assert LoadImageFromFile(ignore_empty=True)(
        dict(img_path=str(empty))) is None
    with pytest.raises(FileNotFoundError, match='missing.JPEG'):
        load(dict(img_path=str(tmp_path / 'missing.JPEG')))


def test_part_map_decoding_errors_name_the_file(tmp_path):
    empty = tmp_path / 'empty.png'
    empty.write_bytes(b'')
    sample = dict(img=np.zeros((4, 4, 3), np.uint8), seg_map_path=str(empty))
    with pytest.raises(ImageDecodeError, match=r'empty.png: cannot decode'):
        LoadPartMap()(sample)
