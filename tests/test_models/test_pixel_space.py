# Copyright (c) mmpart contributors. All rights reserved.
import pytest
import torch
from mmengine.model import BaseDataPreprocessor, ImgDataPreprocessor
from mmpretrain.models import ClsDataPreprocessor
from mmseg.models import SegDataPreProcessor

from mmpart.models.attacks.pixel_space import (from_pixels, normalizes,
                                               to_pixels)
from mmpart.models.utils import PartClsDataPreprocessor

MEAN, STD = [123.675, 116.28, 103.53], [58.395, 57.12, 57.375]


@pytest.mark.parametrize('preprocessor_type', [
    ImgDataPreprocessor, ClsDataPreprocessor, SegDataPreProcessor,
    PartClsDataPreprocessor
])
def test_upstream_preprocessors_say_whether_they_normalise(
        preprocessor_type):
    # `normalizes` reads a private flag of mmengine's ImgDataPreprocessor:
    # this fails (a TypeError naming the checked mmengine version) when an
    # upstream release drops it.
    assert normalizes(preprocessor_type(mean=MEAN, std=STD)) is True
    assert normalizes(preprocessor_type()) is False


def test_pixels_round_trip():
    preprocessor = ClsDataPreprocessor(mean=MEAN, std=STD)
    pixels = torch.rand(2, 3, 4, 4)
    inputs = from_pixels(preprocessor, pixels)
    expected = (pixels * 255 - preprocessor.mean) / preprocessor.std
    torch.testing.assert_close(inputs, expected)
    torch.testing.assert_close(to_pixels(preprocessor, inputs), pixels)
    plain = ClsDataPreprocessor()
    torch.testing.assert_close(from_pixels(plain, pixels), pixels * 255)


def test_unknown_preprocessor_is_refused():
    # It used to count as "not normalising", silently attacking the wrong
    # pixels when it did normalise.
    with pytest.raises(TypeError, match='BaseDataPreprocessor has no'):
        from_pixels(BaseDataPreprocessor(), torch.rand(1, 3, 2, 2))
