# Copyright (c) mmpart contributors. All rights reserved.
"""The part and object segmentation configs (``configs/part_seg``,
``configs/object_seg`` and their toy twins in ``configs/toy``).

- The PIN++-scale pipelines keep the 16-bit maps in the label space: nearest
  resizing, the crop's class check and the preprocessor's padding all use
  65535 as the ignore value, and test maps stay at the original size.
- The MPM-backbone variants load the backbone of an MPM checkpoint, as
  trained by mmpart or exported to plain mmpretrain.
- (slow) A toy part segmenter trains through ``tools/train.py`` and
  ``tools/test.py`` reports class-agnostic and class-aware mIoU well above
  the untrained model's; ``tools/dist_train.sh`` trains and validates one on
  two CPU processes.
"""
import glob
import json
import os
import os.path as osp
import socket
import subprocess
import sys

import mmcv
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmengine.runner import Runner
from mmseg.datasets.transforms import RandomCrop

from mmpart.datasets.layout import MAP_IGNORE_INDEX
from mmpart.export import export_plain_classifier
from mmpart.registry import DATASETS, MODELS
from ..conftest import PROJECT_ROOT

PINPP_CONFIGS = {
    'parts': 'configs/part_seg/upernet_r50_8xb2-160k_pinpp-parts-512x512.py',
    'objects':
    'configs/object_seg/upernet_r50_8xb2-160k_pinpp-objects-512x512.py',
}
MPM_VARIANTS = [
    'configs/part_seg/upernet_r50-gelu-mpm_8xb2-160k_pinpp-parts-512x512.py',
    'configs/part_seg/deeplabv3plus_r50-gelu-mpm-d8_8xb2-160k_pinpp-parts-'
    '512x512.py',
]
MPM_CONFIG = 'configs/mpm/mpm_resnet50-gelu_8xb64-stage2-at-80e_in1k-pinpp.py'
TOY_SEGMENTER = ('configs/toy/'
                 'segformer_mit-b0_1xb16-300i_toy-pinpp-parts-96x96.py')


def _load(config: str) -> Config:
    return Config.fromfile(osp.join(PROJECT_ROOT, config))


def _pinpp_dataset(cfg: Config, loader: str, data_root: str):
    """The config's dataset of ``loader``, on ``data_root``."""
    dataset_cfg = cfg[loader].dataset.copy()
    dataset_cfg.update(data_root=data_root, serialize_data=False)
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        return DATASETS.build(dataset_cfg)


def _read_map(path: str) -> np.ndarray:
    return mmcv.imread(path, flag='unchanged', backend='cv2')


@pytest.mark.parametrize('task', sorted(PINPP_CONFIGS))
def test_pinpp_train_pipeline_keeps_16bit_labels(task, toy_processed):
    """Random resize, crop, flip and padding of the PIN++ recipe on toy
    samples: every label is one the original map holds, or 65535 where the
    preprocessor pads."""
    cfg = _load(PINPP_CONFIGS[task])
    dataset = _pinpp_dataset(cfg, 'train_dataloader', toy_processed[0])
    crops = [
        t for t in dataset.pipeline.transforms if isinstance(t, RandomCrop)
    ]
    assert [t.ignore_index for t in crops] == [MAP_IGNORE_INDEX]
    # The segmentor builds its preprocessor in the mmseg scope.
    with DefaultScope.overwrite_default_scope('mmseg'):
        preprocessor = MODELS.build(cfg.model.data_preprocessor)
    num_classes = len(dataset.metainfo['classes'])
    crop_h, crop_w = cfg.crop_size
    np.random.seed(0)
    padded = 0
    for index in range(0, len(dataset), len(dataset) // 12):
        packed = dataset[index]
        sample = packed['data_samples']
        original = np.unique(_read_map(sample.seg_map_path))
        label = sample.gt_sem_seg.data[0].clone()
        height, width = label.shape
        assert (height, width) == packed['inputs'].shape[-2:]
        assert height <= crop_h and width <= crop_w
        assert set(label.unique().tolist()) <= set(original.tolist())
        # The preprocessor pads the sample's map in place.
        batch = preprocessor(
            dict(inputs=[packed['inputs']], data_samples=[sample]), True)
        padded_label = batch['data_samples'][0].gt_sem_seg.data[0]
        assert padded_label.shape == (crop_h, crop_w)
        assert torch.equal(padded_label[:height, :width], label)
        pad = torch.ones_like(padded_label, dtype=torch.bool)
        pad[:height, :width] = False
        assert (padded_label[pad] == MAP_IGNORE_INDEX).all()
        padded += bool(pad.any())
        assert ((padded_label < num_classes)
                | (padded_label == MAP_IGNORE_INDEX)).all()
    assert padded > 0, 'no sample exercised the padding'


@pytest.mark.parametrize('task', sorted(PINPP_CONFIGS))
def test_pinpp_test_pipeline_keeps_the_original_map(task, toy_processed):
    """The test pipeline resizes the image but not the map: predictions are
    resized back to the original size and scored against it."""
    cfg = _load(PINPP_CONFIGS[task])
    dataset = _pinpp_dataset(cfg, 'test_dataloader', toy_processed[0])
    packed = dataset[0]
    sample = packed['data_samples']
    original = _read_map(sample.seg_map_path)
    assert tuple(sample.ori_shape) == original.shape
    assert packed['inputs'].shape[-2:] != original.shape
    assert min(packed['inputs'].shape[-2:]) == 512
    assert np.array_equal(sample.gt_sem_seg.data[0].numpy(), original)
    if task == 'parts':
        assert sample.part_id_range[0] < sample.part_id_range[1]
    assert 0 <= sample.object_label < 10


@pytest.fixture(scope='module')
def mpm_checkpoints(tmp_path_factory):
    """An MPM model's weights saved as mmpart saves them, and as the plain
    mmpretrain export writes them.

    Returns:
        tuple[dict, dict]: The backbone's weights and, by source, the
        checkpoint path and the prefix its backbone has there.
    """
    cfg = _load(MPM_CONFIG)
    cfg.model.backbone.pop('init_cfg')
    with DefaultScope.overwrite_default_scope('mmpart'):
        model = MODELS.build(cfg.model)
    state_dict = model.state_dict()
    _, exported = export_plain_classifier(cfg, state_dict)
    folder = tmp_path_factory.mktemp('mpm')
    checkpoints = {}
    for source, weights, prefix in (('mmpart', state_dict, 'backbone.'),
                                    ('export', exported,
                                     'backbone.timm_model.')):
        path = str(folder / f'{source}.pth')
        torch.save(dict(state_dict=weights), path)
        checkpoints[source] = (path, prefix)
    backbone = {
        key[len('backbone.'):]: value
        for key, value in state_dict.items() if key.startswith('backbone.')
    }
    return backbone, checkpoints


@pytest.mark.parametrize('source', ['mmpart', 'export'])
@pytest.mark.parametrize('config', MPM_VARIANTS)
def test_mpm_variant_loads_the_mpm_backbone(config, source,
                                            mpm_checkpoints):
    expected, checkpoints = mpm_checkpoints
    path, prefix = checkpoints[source]
    cfg = _load(config)
    init_cfg = cfg.model.backbone.init_cfg
    assert init_cfg.checkpoint == 'checkpoints/mpm_resnet50-gelu.pth'
    assert init_cfg.prefix == 'backbone.'
    # The README's override for an exported checkpoint.
    init_cfg.update(checkpoint=path, prefix=prefix)
    with DefaultScope.overwrite_default_scope('mmpart'):
        backbone = MODELS.build(cfg.model.backbone)
    backbone.init_weights()
    loaded = backbone.state_dict()
    assert loaded.keys() == expected.keys()
    for key, value in expected.items():
        assert torch.equal(loaded[key], value), key


def _toy_config(path: str, data_root: str, extra: str = '') -> str:
    """The toy SegFormer on ``data_root``, without worker processes."""
    loader = ('dict(num_workers=0, persistent_workers=False, '
              f'dataset=dict(data_root={data_root!r}))')
    with open(path, 'w') as f:
        f.write(f"""_base_ = {osp.join(PROJECT_ROOT, TOY_SEGMENTER)!r}
train_dataloader = {loader}
val_dataloader = {loader}
test_dataloader = val_dataloader
{extra}""")
    return str(path)


def _run(args: list, **env) -> str:
    proc = subprocess.run(
        args,
        cwd=PROJECT_ROOT,
        env=dict(os.environ, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600)
    assert proc.returncode == 0, proc.stdout[-5000:]
    return proc.stdout


@pytest.mark.slow
def test_toy_part_segmenter_trains_and_tests(toy_processed, tmp_path):
    """A third of the toy schedule (100 iterations, the same poly shape)."""
    config = _toy_config(
        tmp_path / 'cfg.py', toy_processed[0],
        'train_cfg = dict(max_iters=100, val_interval=100)\n'
        'param_scheduler = [dict(type="PolyLR", eta_min=1e-4, power=0.9,\n'
        '                        begin=0, end=100, by_epoch=False)]\n')
    work_dir = str(tmp_path / 'work')
    cfg = Config.fromfile(config)
    cfg.work_dir = str(tmp_path / 'untrained')
    runner = Runner.from_cfg(cfg)
    runner.model.init_weights()
    start = runner.test()

    _run([sys.executable, 'tools/train.py', config, '--work-dir', work_dir])
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        checkpoint = f.read().strip()
    metrics_file = str(tmp_path / 'metrics.json')
    _run([
        sys.executable, 'tools/test.py', config, checkpoint, '--work-dir',
        work_dir, '--out', metrics_file
    ])
    with open(metrics_file) as f:
        end = json.load(f)
    print(f'toy part mIoU {start["mIoU"]:.2f} -> {end["mIoU"]:.2f}, '
          f'class-aware {start["mIoU_class_aware"]:.2f} -> '
          f'{end["mIoU_class_aware"]:.2f}')
    assert end['mIoU'] > start['mIoU'] + 5
    assert end['mIoU_class_aware'] >= end['mIoU']
    assert end['mIoU_class_aware'] > start['mIoU_class_aware'] + 5


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_toy_part_segmenter_dist_train(toy_processed, tmp_path):
    """Two gloo processes train, then validate on both ranks (the metric
    gathers their samples)."""
    config = _toy_config(
        tmp_path / 'cfg.py', toy_processed[0],
        'train_cfg = dict(max_iters=4, val_interval=4)\n'
        'default_hooks = dict(logger=dict(interval=2),\n'
        '                     checkpoint=dict(interval=4))\n')
    work_dir = str(tmp_path / 'work')
    out = _run(['bash', 'tools/dist_train.sh', config, '2', '--work-dir',
                work_dir],
               PYTHON=sys.executable,
               PORT=str(_free_port()),
               OMP_NUM_THREADS='1')
    assert 'Distributed training: True' in out
    assert 'Iter(train) [4/4]' in out, out[-3000:]
    # 20 val images over 2 ranks at 16 a batch: one batch each.
    assert 'Iter(val) [1/1]' in out and 'mIoU_class_aware' in out
    # Rank 0 alone writes: exactly one checkpoint.
    assert glob.glob(osp.join(work_dir, '*.pth')) == [
        osp.join(work_dir, 'iter_4.pth')
    ]
