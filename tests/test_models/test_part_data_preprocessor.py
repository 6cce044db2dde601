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


def test_preprocessor_ignored_pixels_are_no_parts():
    """A map of background and ignored pixels (65535, low-confidence pixels
    of a pseudo label) has no part: weight 0; a pseudo map with a part and
    ignored pixels gets ``pseudo_weight``, its ignored pixels kept."""
    pre = PartClsDataPreprocessor(pseudo_weight=0.5, num_classes=3)
    samples = make_part_samples(4)
    for sample in samples:
        sample.gt_part_map[40:] = 65535
    for sample in samples[1:3]:
        sample.set_metainfo(dict(part_map_is_pseudo=True))
    samples[2].gt_part_map[8:40, 8:40] = 0  # only background and ignored
    samples[3].gt_part_map[:40] = 65535  # only ignored
    data = pre(dict(inputs=[torch.zeros(3, 64, 64, dtype=torch.uint8)] * 4,
                    data_samples=samples), True)
    targets = data['part_targets']
    assert targets.sample_weights.tolist() == [1, 0.5, 0, 0]
    assert (targets.maps[0][:, 40:] == 65535).all()
    assert targets.maps[0][1].unique().tolist() == [0, 2, 65535]
