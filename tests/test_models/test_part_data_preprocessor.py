# Copyright (c) mmpart contributors. All rights reserved.
import torch

from mmpart.models import PartClsDataPreprocessor
from ..conftest import make_part_samples


def test_preprocessor_sample_weights():
    pre = PartClsDataPreprocessor(pseudo_weight=0.5, num_classes=3)
    samples = make_part_samples(4)
    samples[1].set_metainfo(dict(part_map_is_pseudo=True))
    samples[2].set_metainfo(dict(part_map_valid=False))
    samples[3].gt_part_map.zero_()  # an all-background crop
    data = pre(dict(inputs=[torch.zeros(3, 64, 64, dtype=torch.uint8)] * 4,
                    data_samples=samples), True)
    assert data['part_targets'].sample_weights.tolist() == [1, 0.5, 0, 0]
    assert 'part_targets' not in pre(
        dict(inputs=[torch.zeros(3, 64, 64, dtype=torch.uint8)] * 4,
             data_samples=make_part_samples(4)), False)
