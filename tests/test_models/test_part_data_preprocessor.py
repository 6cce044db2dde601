# Copyright (c) mmpart contributors. All rights reserved.
import pytest
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


def _batch_with_bad_id(paths):
    """Four samples (parts 1-4 on 6 part classes), sample 2's map holding
    part id 4000 at one pixel; ``paths`` their ``seg_map_path``s."""
    samples = make_part_samples(4)
    samples[2].gt_part_map[50, 50] = 4000
    for sample, path in zip(samples, paths):
        if path is not None:
            sample.set_metainfo(dict(seg_map_path=path))
    return dict(inputs=[torch.zeros(3, 64, 64, dtype=torch.uint8)] * 4,
                data_samples=samples)


@pytest.mark.parametrize('batch_augments', [
    None,
    dict(augments=dict(type='PartCutMix', alpha=1.0)),
    dict(augments=dict(type='PartMixup', alpha=1.0))
])
def test_preprocessor_names_the_map_of_an_out_of_range_id(batch_augments):
    """An id neither a part class nor 65535 is refused before the batch is
    mixed, naming the map's file (or, without one, the sample) and the
    id."""
    pre = PartClsDataPreprocessor(
        num_classes=3, num_part_classes=6, batch_augments=batch_augments)
    paths = ['a/0.png', 'a/1.png', 'a/2.png', 'a/3.png']
    with pytest.raises(ValueError, match=r'^a/2\.png holds part id 4000, '):
        pre(_batch_with_bad_id(paths), True)
    with pytest.raises(ValueError,
                       match=r'^the part map of sample 2 of the batch '
                       r'\(no seg_map_path\) holds part id 4000'):
        pre(_batch_with_bad_id([None] * 4), True)
    # Ids up to num_part_classes - 1 and the ignore value pass.
    data = _batch_with_bad_id(paths)
    data['data_samples'][2].gt_part_map[50, 50] = 65535
    data['data_samples'][1].gt_part_map[50, 50] = 5
    assert 'part_targets' in pre(data, True)


def test_preprocessor_without_part_classes_leaves_the_check_to_the_loss():
    pre = PartClsDataPreprocessor(num_classes=3)
    assert pre(_batch_with_bad_id([None] * 4), True)['part_targets'].maps[
        0].max() == 4000
    pre.bind_part_classes(6)
    with pytest.raises(ValueError, match='holds part id 4000'):
        pre(_batch_with_bad_id([None] * 4), True)
    with pytest.raises(ValueError, match='num_part_classes=6.*7 part'):
        pre.bind_part_classes(7)
