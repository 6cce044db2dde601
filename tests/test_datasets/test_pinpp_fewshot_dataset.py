# Copyright (c) mmpart contributors. All rights reserved.
"""PINPPFewShotDataset and StackObjectCrop on a toy few-shot set."""
import os.path as osp

import numpy as np
import pytest

from mmpart.datasets import LabelSpace, PINPPFewShotDataset, read_class_split
from mmpart.datasets.transforms import StackObjectCrop, object_box

PIPELINE = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadPartMap'),
    dict(type='StackObjectCrop', scale=32),
    dict(type='PackInputs'),
]


@pytest.mark.parametrize('side', ['base', 'val', 'novel'])
def test_sides_serve_their_classes(toy_fewshot_processed, side):
    root = toy_fewshot_processed
    split = read_class_split(osp.join(root, 'class_split.json'))
    space = LabelSpace.from_file(osp.join(root, 'label_space.tsv'))
    dataset = PINPPFewShotDataset(
        side=side, data_root=root, class_split='class_split.json',
        pipeline=PIPELINE)
    wnids = split[side]
    assert dataset.metainfo['wnids'] == wnids
    assert list(dataset.metainfo['classes']) == [
        space.object_names[space.object_label[w]] for w in wnids
    ]
    # Every annotated image of the side's classes, labelled by side index.
    assert len(dataset) == 6 * len(wnids)
    for index in range(len(dataset)):
        info = dataset.get_data_info(index)
        wnid = wnids[info['gt_label']]
        assert osp.basename(osp.dirname(info['img_path'])) == wnid
        assert osp.exists(info['seg_map_path'])
    sample = dataset[0]
    assert tuple(sample['inputs'].shape) == (6, 32, 32)


def test_a_split_of_another_label_space_is_refused(toy_fewshot_processed,
                                                   tmp_path):
    from mmpart.datasets import make_class_split, write_class_split
    other = str(tmp_path / 'split.json')
    write_class_split(
        other,
        make_class_split([f'n{i:08d}' for i in range(8)], (4, 2, 2)))
    with pytest.raises(ValueError, match='another label space'):
        PINPPFewShotDataset(
            side='base', data_root=toy_fewshot_processed, class_split=other)
    with pytest.raises(ValueError, match='side must be'):
        PINPPFewShotDataset(
            side='train', data_root=toy_fewshot_processed,
            class_split='class_split.json')


def test_object_box_and_crop():
    part_map = np.zeros((40, 60), np.uint16)
    part_map[10:20, 30:50] = 7
    part_map[25, 5] = 65535  # ignored pixels are not parts
    assert object_box(part_map) == (30, 10, 50, 20)
    assert object_box(np.zeros((4, 4), np.uint16)) is None

    img = np.zeros((40, 60, 3), np.uint8)
    img[10:20, 30:50] = (255, 0, 0)  # blue in BGR
    results = StackObjectCrop(scale=(16, 8))(
        dict(img=img, gt_seg_map=part_map))
    stacked = results['img']
    assert stacked.shape == (8, 16, 6)
    assert results['object_box'] == (30, 10, 50, 20)
    assert results['object_box_found']
    # The crop is the box alone, converted to RGB: all blue.
    assert (stacked[..., 3:] == (0, 0, 255)).all()
    # The full image, resized, is mostly background.
    assert (stacked[..., :3] == 0).all(axis=-1).mean() > 0.5
    assert results['gt_seg_map'].shape == (8, 16)
    empty = StackObjectCrop(scale=8)(
        dict(img=img, gt_seg_map=np.zeros((40, 60), np.uint16)))
    assert not empty['object_box_found']
    assert empty['object_box'] == (0, 0, 60, 40)
    np.testing.assert_array_equal(empty['img'][..., :3],
                                  empty['img'][..., 3:])
