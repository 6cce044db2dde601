# Copyright (c) mmpart contributors. All rights reserved.
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmcv.transforms import Compose

from mmpart.registry import TRANSFORMS


def _block_image_and_map(size=(90, 120), block=6):
    """An image whose colour encodes a block index, and the map of the same
    indices (past 255, so 16 bits are needed)."""
    h, w = size
    ys, xs = np.mgrid[0:h, 0:w]
    ids = (ys // block) * (w // block + 1) + xs // block + 300
    img = np.stack([ids % 256, ids // 256, np.full_like(ids, 7)],
                   axis=-1).astype(np.uint8)
    return img, ids.astype(np.uint16)


def _decode(img):
    return img[..., 0].astype(np.int64) + 256 * img[..., 1].astype(np.int64)


@pytest.mark.parametrize('seed', range(5))
def test_joint_transforms_keep_pixels_aligned(seed, tmp_path):
    img, ids = _block_image_and_map()
    path = str(tmp_path / 'map.png')
    cv2.imwrite(path, ids)
    np.random.seed(seed)
    pipeline = Compose([
        TRANSFORMS.build(t) for t in [
            dict(type='LoadPartMap'),
            # Nearest for the image too, so its colours stay decodable.
            dict(type='PartRandomResizedCrop', scale=64,
                 interpolation='nearest'),
            dict(type='RandomFlip', prob=0.5, direction='horizontal'),
            dict(type='PartResizeEdge', scale=40, edge='short',
                 interpolation='nearest'),
            dict(type='CenterCrop', crop_size=32),
            dict(type='PackPartInputs'),
        ]
    ])
    packed = pipeline(dict(img=img, seg_map_path=path, gt_label=1))
    out_img = packed['inputs'].permute(1, 2, 0).numpy()
    part_map = packed['data_samples'].gt_part_map
    assert out_img.shape == (32, 32, 3) and part_map.shape == (32, 32)
    assert part_map.dtype == torch.int64
    assert np.array_equal(_decode(out_img), part_map.numpy())
    assert part_map.max() > 255
    assert packed['data_samples'].part_map_valid


def test_crop_is_not_a_copy_of_the_input():
    """Guard for the alignment test: the crop really moves pixels."""
    img, ids = _block_image_and_map()
    np.random.seed(0)
    t = TRANSFORMS.build(dict(type='PartRandomResizedCrop', scale=64,
                              interpolation='nearest'))
    out = t(dict(img=img.copy(), gt_seg_map=ids.copy()))
    assert out['gt_seg_map'].shape == (64, 64)
    assert not np.array_equal(
        out['gt_seg_map'], cv2.resize(ids, (64, 64),
                                      interpolation=cv2.INTER_NEAREST))


def test_load_part_map_errors_and_absent_maps(tmp_path):
    load = TRANSFORMS.build(dict(type='LoadPartMap'))
    img = np.zeros((10, 12, 3), np.uint8)
    results = load(dict(img=img, seg_map_path=None))
    assert results['gt_seg_map'].shape == (10, 12)
    assert not results['gt_seg_map'].any()
    assert results['part_map_valid'] is False
    packed = TRANSFORMS.build(dict(type='PackPartInputs'))(
        dict(results, gt_label=0))
    assert packed['data_samples'].part_map_valid is False
    wrong = str(tmp_path / 'wrong.png')
    cv2.imwrite(wrong, np.zeros((5, 5), np.uint16))
    with pytest.raises(ValueError, match='wrong.png: map size'):
        load(dict(img=img, seg_map_path=wrong))
    rgb = str(tmp_path / 'rgb.png')
    cv2.imwrite(rgb, np.zeros((10, 12, 3), np.uint8))
    with pytest.raises(ValueError, match='rgb.png: not a single-channel'):
        load(dict(img=img, seg_map_path=rgb))


def test_quirk_images_load_as_three_channels(toy_pinpp):
    root, done = toy_pinpp
    load = TRANSFORMS.build(dict(type='LoadImageFromFile'))
    assert len(done['quirk_files']) == 3
    for file_name in done['quirk_files']:
        results = load(dict(img_path=osp.join(root, 'train', file_name)))
        assert results['img'].shape == (96, 96, 3)
        assert results['img'].dtype == np.uint8
        assert results['img'].std() > 5


def test_pack_part_seg_inputs_packs_the_sample_object(toy_processed):
    from mmpart.datasets import PINPPPartSegDataset
    out, _ = toy_processed
    dataset = PINPPPartSegDataset(
        data_root=out, ann_file='splits/val.txt',
        pipeline=[dict(type='LoadImageFromFile'), dict(type='LoadPartMap'),
                  dict(type='PackPartSegInputs')])
    info = dataset.get_data_info(7)
    packed = dataset[7]
    sample = packed['data_samples']
    assert packed['inputs'].shape == (3, 96, 96)
    assert sample.object_label == info['object_label']
    assert sample.part_id_range == info['part_id_range']
    assert sample.img_path == info['img_path']
    assert sample.ori_shape == (96, 96)
    assert sample.gt_sem_seg.data.max() >= info['part_id_range'][0]


def test_pack_part_seg_inputs_keys():
    pack = TRANSFORMS.build(dict(type='PackPartSegInputs'))
    results = dict(img=np.zeros((4, 5, 3), np.uint8),
                   gt_seg_map=np.full((4, 5), 300, np.uint16),
                   img_path='a.JPEG', object_label=2)
    sample = pack(results)['data_samples']
    assert sample.metainfo == dict(img_path='a.JPEG', object_label=2)
    assert sample.gt_sem_seg.data.dtype == torch.int64
    assert sample.gt_sem_seg.data.max() == 300
    only = TRANSFORMS.build(dict(type='PackPartSegInputs',
                                 meta_keys=['part_id_range']))
    sample = only(dict(results, part_id_range=(3, 5)))['data_samples']
    assert sample.metainfo == dict(part_id_range=(3, 5))
