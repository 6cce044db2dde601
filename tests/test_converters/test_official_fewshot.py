# Copyright (c) mmpart contributors. All rights reserved.
"""The official few-shot files written from a converted toy set, read back
by the datasets of those files."""
import os.path as osp

import mmcv
import numpy as np

from mmpart.converters.official_fewshot import side_images
from mmpart.datasets import (PINPPDeepEMDDataset, PINPPMetaBaselineDataset,
                             read_class_split)
from mmpart.datasets.transforms import object_box
from ..conftest import load_tool


def test_metabaseline_pickles_hold_the_split(toy_fewshot_processed,
                                             toy_fewshot_official):
    class_split = osp.join(toy_fewshot_processed, 'class_split.json')
    split = read_class_split(class_split)
    root = osp.join(toy_fewshot_official, 'metabaseline')
    train = PINPPMetaBaselineDataset(split='train', data_root=root)
    phase_val = PINPPMetaBaselineDataset(
        split='train_phase_val', data_root=root)
    val = PINPPMetaBaselineDataset(split='val', data_root=root)
    test = PINPPMetaBaselineDataset(split='test', data_root=root)
    # 4 / 2 / 2 classes of 6 images; every 3rd base image held out.
    assert (len(train), len(phase_val), len(val), len(test)) == (16, 8, 12,
                                                                 12)
    labels = [train.get_data_info(i)['gt_label'] for i in range(16)]
    assert labels == [c for c in range(4) for _ in range(4)]
    assert sorted(set(test.get_gt_labels().tolist())) == [0, 1]
    # The novel images in order, 40 px, with their part boxes scaled.
    wnids, samples = side_images(toy_fewshot_processed, class_split,
                                 'novel')
    assert wnids == split['novel']
    for index, sample in enumerate(samples):
        info = test.get_data_info(index)
        image = mmcv.imread(sample['img_path'])
        height, width = image.shape[:2]
        np.testing.assert_array_equal(
            info['img'], mmcv.imresize(image, (40, 40), backend='pillow'))
        x1, y1, x2, y2 = object_box(
            mmcv.imread(sample['seg_map_path'], flag='unchanged'))
        sx, sy = 40 / width, 40 / height
        assert info['object_box'] == tuple(
            int(round(v)) for v in (x1 * sx, y1 * sy, x2 * sx, y2 * sy))
        assert info['gt_label'] == sample['gt_label']


def test_deepemd_csvs_list_the_split(toy_fewshot_processed,
                                     toy_fewshot_official):
    class_split = osp.join(toy_fewshot_processed, 'class_split.json')
    root = osp.join(toy_fewshot_official, 'deepemd')
    for name, side in (('train', 'base'), ('val', 'val'), ('test', 'novel')):
        dataset = PINPPDeepEMDDataset(split=name, data_root=root)
        wnids, samples = side_images(toy_fewshot_processed, class_split,
                                     side)
        assert dataset.metainfo['wnids'] == wnids
        assert len(dataset) == len(samples)
        for index, sample in enumerate(samples):
            info = dataset.get_data_info(index)
            assert info['gt_label'] == sample['gt_label']
            assert osp.realpath(info['img_path']) == osp.realpath(
                sample['img_path'])


def test_tool_writes_both_and_rewrites_in_place(toy_fewshot_processed,
                                                tmp_path, capsys,
                                                monkeypatch):
    tool = load_tool('tools/dataset_converters/pinpp_fewshot_official.py')
    # Paths relative to the working directory, as a user types them.
    monkeypatch.chdir(osp.dirname(toy_fewshot_processed))
    processed = osp.basename(toy_fewshot_processed)
    argv = [
        processed,
        str(tmp_path), '--class-split',
        osp.join(processed, 'class_split.json'), '--size', '24'
    ]
    for _ in range(2):
        tool.main(argv)
        out = capsys.readouterr().out
        assert 'train_phase_train 24, train_phase_val 0, val 12, test 12' \
            in out
        assert 'train 24, val 12, test 12 images' in out
    dataset = PINPPMetaBaselineDataset(
        split='val', data_root=str(tmp_path / 'metabaseline'))
    assert dataset.get_data_info(0)['img'].shape == (24, 24, 3)
