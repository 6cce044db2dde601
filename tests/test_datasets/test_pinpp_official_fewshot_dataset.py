# Copyright (c) mmpart contributors. All rights reserved.
"""The official few-shot split files, on fixtures written in their format."""
import os
import os.path as osp
import pickle

import mmcv
import numpy as np
import pytest
from PIL import Image

from mmpart.datasets import PINPPDeepEMDDataset, PINPPMetaBaselineDataset
from mmpart.datasets.transforms import StackObjectCrop

# A test split as the official pickles hold it: labels continue those of
# the other splits (here from 64), boxes are (x, y, w, h) floats.
RNG = np.random.default_rng(0)
IMAGES = [
    RNG.integers(0, 256, (height, width, 3), dtype=np.uint8)
    for height, width in ((20, 30), (24, 24), (16, 40), (20, 20))
]
LABELS = [65, 64, 66, 65]
# Box 1 is rounded as PIL rounds (half to even: 2.5 -> 2, 9.5 -> 10); box 3
# reaches past the image, where PIL's crop is black.
BOXES = [(1.0, 2.0, 10.0, 8.0), (2.5, 3.0, 7.0, 6.5), (0, 0, 40, 16),
         (14.0, -2.0, 10.0, 9.0)]


def write_pickle(root, split, pack):
    with open(osp.join(root, f'pinpp_category_split_{split}.pickle'),
              'wb') as file:
        # Protocol 2, the newest Python 2 reads, as the official files are.
        pickle.dump(pack, file, protocol=2)


@pytest.fixture
def metabaseline_root(tmp_path):
    pack = dict(data=IMAGES, labels=LABELS, bbox=BOXES)
    for split in ('train_phase_train', 'test'):
        write_pickle(str(tmp_path), split, pack)
    return str(tmp_path)


def pil_resized(rgb, size, box=None):
    """The official loader's pixels before ToTensor: PIL crop and resize."""
    image = Image.fromarray(rgb)
    if box is not None:
        x, y, w, h = box
        image = image.crop((x, y, x + w, y + h))
    return np.asarray(image.resize((size, size), Image.BILINEAR))


def test_metabaseline_samples(metabaseline_root):
    dataset = PINPPMetaBaselineDataset(
        split='test', data_root=metabaseline_root)
    assert dataset.split == 'test'
    assert len(dataset) == 4
    # Shifted by the smallest label, not renumbered.
    assert dataset.get_gt_labels().tolist() == [1, 0, 2, 1]
    for index, image in enumerate(IMAGES):
        info = dataset.get_data_info(index)
        np.testing.assert_array_equal(info['img'], image[..., ::-1])
        assert info['img_shape'] == info['ori_shape'] == image.shape[:2]
    assert [dataset.get_data_info(i)['object_box'] for i in range(4)] == [
        (1, 2, 11, 10), (2, 3, 10, 10), (0, 0, 40, 16), (14, -2, 24, 7)
    ]
    # 'train' is the official name of train_phase_train.
    assert PINPPMetaBaselineDataset(
        split='train', data_root=metabaseline_root).split == \
        'train_phase_train'


def test_metabaseline_pipelines_give_the_official_pixels(metabaseline_root):
    plain = PINPPMetaBaselineDataset(
        data_root=metabaseline_root,
        pipeline=[
            dict(type='Resize', scale=(12, 12), backend='pillow'),
            dict(type='PackInputs'),
        ])
    part_aware = PINPPMetaBaselineDataset(
        data_root=metabaseline_root,
        pipeline=[
            dict(
                type='StackObjectCrop', scale=12, to_rgb=True,
                backend='pillow'),
            dict(type='PackInputs'),
        ])
    for index, (image, box) in enumerate(zip(IMAGES, BOXES)):
        sample = plain[index]
        assert sample['data_samples'].gt_label.tolist() == [
            LABELS[index] - 64
        ]
        # BGR channels first, the official RGB image reversed.
        np.testing.assert_array_equal(
            sample['inputs'].numpy()[::-1].transpose(1, 2, 0),
            pil_resized(image, 12))
        # The official pair: the box crop and the image, here in RGB.
        stacked = part_aware[index]['inputs'].numpy().transpose(1, 2, 0)
        assert stacked.shape == (12, 12, 6)
        np.testing.assert_array_equal(stacked[..., :3],
                                      pil_resized(image, 12))
        np.testing.assert_array_equal(stacked[..., 3:],
                                      pil_resized(image, 12, box))
    # Box 3's top two of nine rows are black.
    assert (part_aware[3]['inputs'][3:, 0] == 0).all()


def test_part_aware_training_pair_draws_each_half_alone(metabaseline_root):
    """The official pre-training augments the image and its crop each with
    its own random draw: ``half_pipeline`` runs once per half."""
    flip = [
        dict(type='Resize', scale=(12, 12), backend='pillow'),
        dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    ]
    dataset = PINPPMetaBaselineDataset(
        data_root=metabaseline_root,
        pipeline=[
            dict(type='StackObjectCrop', scale=12, backend='pillow',
                 half_pipeline=flip),
            dict(type='PackInputs'),
        ])
    image, box = IMAGES[0], BOXES[0]
    full, crop = pil_resized(image, 12), pil_resized(image, 12, box)
    seen = set()
    np.random.seed(0)
    for _ in range(40):
        stacked = dataset[0]['inputs'].numpy().transpose(1, 2, 0)
        halves = []
        for half, resized in ((stacked[..., :3], full),
                              (stacked[..., 3:], crop)):
            flipped = np.array_equal(half, resized[:, ::-1])
            assert flipped or np.array_equal(half, resized)
            halves.append(flipped)
        seen.add(tuple(halves))
    # Each half flipped on its own: all four combinations occur.
    assert seen == {(False, False), (False, True), (True, False),
                    (True, True)}
    wrong_size = StackObjectCrop(
        scale=12, half_pipeline=[dict(type='Resize', scale=(10, 12))])
    with pytest.raises(ValueError, match=r'gave \(10, 12\).*scale \(12, 12'):
        wrong_size(dict(img=image, object_box=(0, 0, 5, 5)))
    with pytest.raises(ValueError, match='could not follow'):
        StackObjectCrop(scale=12, half_pipeline=flip)(
            dict(img=image, gt_seg_map=np.ones((20, 30), np.uint16)))


def test_metabaseline_errors(metabaseline_root, tmp_path):
    with pytest.raises(ValueError, match='split must be'):
        PINPPMetaBaselineDataset(split='novel', data_root=metabaseline_root)
    root = str(tmp_path / 'bad')
    os.makedirs(root)
    write_pickle(root, 'val', dict(data=IMAGES, labels=LABELS))
    with pytest.raises(ValueError, match=r"no \['bbox'\]"):
        PINPPMetaBaselineDataset(split='val', data_root=root)
    write_pickle(root, 'val', dict(data=IMAGES, labels=LABELS[:3],
                                   bbox=BOXES))
    with pytest.raises(ValueError, match='4 images, 3 labels and 4 boxes'):
        PINPPMetaBaselineDataset(split='val', data_root=root)
    write_pickle(root, 'val', dict(data=[IMAGES[0][..., 0]], labels=[0],
                                   bbox=[BOXES[0]]))
    with pytest.raises(ValueError, match=r'image 0 is not uint8 \(H, W, 3\)'):
        PINPPMetaBaselineDataset(split='val', data_root=root)


CSV_ROWS = [
    ('n03000000_12.JPEG', 'n03000000'),
    ('n01000000_3.JPEG', 'n01000000'),
    ('n03000000_7.JPEG', 'n03000000'),
    ('n02000000_1.JPEG', 'n02000000'),
]


@pytest.fixture
def deepemd_root(tmp_path):
    root = str(tmp_path)
    os.makedirs(osp.join(root, 'split'))
    os.makedirs(osp.join(root, 'images'))
    with open(osp.join(root, 'split', 'test.csv'), 'w') as file:
        file.write('filename,label\n')
        file.writelines(f'{name},{wnid}\n' for name, wnid in CSV_ROWS)
    for index, (name, _) in enumerate(CSV_ROWS):
        mmcv.imwrite(
            np.full((30, 40, 3), 10 * index, np.uint8),
            osp.join(root, 'images', name))
    return root


def test_deepemd_samples(deepemd_root):
    dataset = PINPPDeepEMDDataset(
        split='test',
        data_root=deepemd_root,
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='Resize', scale=(92, 92), backend='pillow'),
            dict(type='CenterCrop', crop_size=84),
            dict(type='PackInputs'),
        ])
    # Labels in the order the wnids first appear, not sorted.
    assert dataset.metainfo['wnids'] == ['n03000000', 'n01000000',
                                         'n02000000']
    assert dataset.get_gt_labels().tolist() == [0, 1, 0, 2]
    for index, (name, _) in enumerate(CSV_ROWS):
        assert dataset.get_data_info(index)['img_path'] == osp.join(
            deepemd_root, 'images', name)
    sample = dataset[2]
    assert tuple(sample['inputs'].shape) == (3, 84, 84)
    assert (sample['inputs'] == 20).all()


def test_deepemd_errors(deepemd_root):
    with pytest.raises(ValueError, match='split must be'):
        PINPPDeepEMDDataset(split='novel', data_root=deepemd_root)
    with open(osp.join(deepemd_root, 'split', 'val.csv'), 'w') as file:
        file.write('filename,label\na.JPEG,n01\n\nb.JPEG\n')
    with pytest.raises(ValueError, match=r'val.csv:4: expected'):
        PINPPDeepEMDDataset(split='val', data_root=deepemd_root)
