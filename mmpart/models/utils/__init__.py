# Copyright (c) mmpart contributors. All rights reserved.
from .chunked_argmax import chunked_argmax, chunked_logsumexp, chunked_max
from .emd import (centred_cosine_similarity, cross_reference_weights,
                  emd_flow_opencv, emd_flow_sinkhorn, normalise_node_weights)
from .label_maps import (bilinear_taps, resize_label_map,
                         upsampling_adjoint_taps)
from .part_batch_augments import PartCutMix, PartMixup, PartRandomBatchAugment
from .part_data_preprocessor import PartClsDataPreprocessor

__all__ = [
    'PartCutMix', 'PartMixup', 'PartRandomBatchAugment',
    'PartClsDataPreprocessor', 'bilinear_taps', 'chunked_argmax',
    'centred_cosine_similarity', 'chunked_logsumexp', 'chunked_max',
    'cross_reference_weights', 'emd_flow_opencv', 'emd_flow_sinkhorn',
    'normalise_node_weights', 'resize_label_map', 'upsampling_adjoint_taps'
]
