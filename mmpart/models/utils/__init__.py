# Copyright (c) mmpart contributors. All rights reserved.
from .chunked_argmax import chunked_argmax, chunked_logsumexp, chunked_max
from .label_maps import (bilinear_taps, resize_label_map,
                         upsampling_adjoint_taps)
from .part_batch_augments import PartCutMix, PartMixup, PartRandomBatchAugment
from .part_data_preprocessor import PartClsDataPreprocessor

__all__ = [
    'PartCutMix', 'PartMixup', 'PartRandomBatchAugment',
    'PartClsDataPreprocessor', 'bilinear_taps', 'chunked_argmax',
    'chunked_logsumexp', 'chunked_max',
    'resize_label_map', 'upsampling_adjoint_taps'
]
