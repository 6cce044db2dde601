# Copyright (c) mmpart contributors. All rights reserved.
import cv2
import numpy as np
import pytest
import torch
from mmcv.transforms import Compose
from mmengine import Config

from mmpart.models import PartClsDataPreprocessor
from mmpart.registry import METRICS, TRANSFORMS
from ..conftest import PROJECT_ROOT


@pytest.fixture
def image_and_map(tmp_path):
    """A JPEG and its 16-bit part map, both 60x80."""
    rng = np.random.default_rng(0)
    img_path, map_path = str(tmp_path / 'a.JPEG'), str(tmp_path / 'a.png')
    cv2.imwrite(img_path, rng.integers(0, 255, (60, 80, 3), np.uint8))
    cv2.imwrite(map_path, rng.integers(0, 400, (60, 80)).astype(np.uint16))
    return img_path, map_path


def _pipeline(transforms):
    return Compose([TRANSFORMS.build(t) for t in transforms])


def test_a_map_the_image_left_behind_is_refused(image_and_map):
    """mmpretrain's RandomResizedCrop moves the image, not the part map:
    the part loss would resize the map and train on it misaligned."""
    img_path, map_path = image_and_map
    pipeline = _pipeline([
        dict(type='LoadImageFromFile'),
        dict(type='LoadPartMap'),
        dict(type='mmpretrain.RandomResizedCrop', scale=32),
        dict(type='PackPartInputs'),
    ])
    with pytest.raises(ValueError, match=r'a.png: the part map is '
                       r'\(60, 80\), its image \(32, 32\) \(.*a.JPEG\) '
                       r'when packed: a transform between LoadPartMap and '
                       r'PackPartInputs'):
        pipeline(dict(img_path=img_path, seg_map_path=map_path, gt_label=0))
    # The part-aware crop moves both.
    pipeline = _pipeline([
        dict(type='LoadImageFromFile'),
        dict(type='LoadPartMap'),
        dict(type='PartRandomResizedCrop', scale=32),
        dict(type='PackPartInputs'),
    ])
    sample = pipeline(
        dict(img_path=img_path, seg_map_path=map_path,
             gt_label=0))['data_samples']
    assert sample.gt_part_map.shape == (32, 32)
    assert sample.seg_map_path == map_path


#: Leaves whose PIN++-scale train pipelines (no data here) differ: with
#: RandomErasing, with ColorJitter, at 84 px; the toy ones pack in
#: tests/test_configs.
PINPP_CONFIGS = [
    'configs/mpm/mpm_resnet50-gelu_8xb64-stage1-1e_in1k-pinpp.py',
    'configs/mpm/mpm_resnet50-gelu_8xb64-100e_in1k-pinpp.py',
    'configs/fewshot/mpm_resnet12_1xb128-100e_pinpp-fewshot-base-84px.py',
]


@pytest.mark.parametrize('config', PINPP_CONFIGS)
def test_pinpp_train_pipelines_pack(config, image_and_map):
    cfg = Config.fromfile(f'{PROJECT_ROOT}/{config}')
    pipeline = _pipeline(cfg.train_dataloader.dataset.pipeline)
    img_path, map_path = image_and_map
    for seed in range(3):
        np.random.seed(seed)
        for path in (map_path, None):
            packed = pipeline(
                dict(img_path=img_path, seg_map_path=path, gt_label=0))
            assert packed['data_samples'].gt_part_map.shape == \
                packed['inputs'].shape[1:]


def test_part_map_valid_has_one_default():
    """A map that comes without ``part_map_valid`` (not from LoadPartMap)
    is real for the packer, the preprocessor and PartIoUMetric alike."""
    packed = TRANSFORMS.build(dict(type='PackPartInputs'))(
        dict(img=np.zeros((2, 2, 3), np.uint8), gt_label=0,
             gt_seg_map=np.array([[0, 1], [1, 1]], np.uint16)))
    sample = packed['data_samples']
    assert sample.part_map_valid is True
    del sample.part_map_valid
    pre = PartClsDataPreprocessor(num_classes=2)
    data = pre(dict(inputs=[packed['inputs']], data_samples=[sample]), True)
    assert data['part_targets'].sample_weights.tolist() == [1]
    metric = METRICS.build(dict(type='PartIoUMetric'))
    metric.dataset_meta = dict(classes=['o'], part_classes=['bg', 'p'])
    pred = torch.tensor([[[0, 1], [1, 0]]])
    metric.process({}, [
        dict(pred_part_map=pred, gt_part_map=sample.gt_part_map),
        dict(pred_part_map=pred, gt_part_map=sample.gt_part_map,
             part_map_valid=False),
        dict(pred_part_map=pred),
    ])
    assert len(metric.results) == 1
