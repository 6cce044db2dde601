# Copyright (c) mmpart contributors. All rights reserved.
from .part_batch_augments import (PartCutMix, PartMixup,
                                  PartRandomBatchAugment)
from .part_data_preprocessor import PartClsDataPreprocessor
from .part_targets import (PartTargets, bilinear_taps, resize_label_map)
from .pixel_space import PixelSpaceClassifier, from_pixels, to_pixels

__all__ = [
    'PartCutMix', 'PartMixup', 'PartRandomBatchAugment',
    'PartClsDataPreprocessor', 'PartTargets', 'bilinear_taps',
    'resize_label_map', 'PixelSpaceClassifier', 'from_pixels', 'to_pixels'
]
