# Copyright (c) mmpart contributors. All rights reserved.
"""The toy MPM recipe on CPU: the bypass's part mIoU rises well above its
start, and class accuracy is at least the plain toy classifier's."""
import os.path as osp

import pytest
from mmengine.config import Config
from mmengine.runner import Runner

from ..conftest import PROJECT_ROOT

MPM = 'configs/toy/mpm_resnet18-w32_1xb32-12e_toy-pinpp-parts.py'
MPM_AT = 'configs/toy/mpm_resnet18-w32_1xb32-at-12e_toy-pinpp-parts.py'
PLAIN = 'configs/toy/resnet18-w32_1xb32-12e_toy-pinpp-parts.py'


def _cfg(config, toy_pinpp, toy_processed, work_dir):
    root, _ = toy_pinpp
    out, _ = toy_processed
    cfg = Config.fromfile(osp.join(PROJECT_ROOT, config))
    cfg.work_dir = str(work_dir)
    cfg.default_hooks.logger.interval = 16
    for name in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        loader = cfg.get(name)
        if loader is None:
            continue
        loader.dataset.data_root = out
    cfg.train_dataloader.dataset.ann_file = osp.join(root, 'meta',
                                                     'train.txt')
    cfg.val_dataloader.dataset.ann_file = osp.join(root, 'meta', 'val.txt')
    cfg.val_dataloader.dataset.data_prefix = dict(
        img_path=osp.join(root, 'val'))
    return cfg


@pytest.fixture(scope='module')
def plain_top1(toy_pinpp, toy_processed, tmp_path_factory):
    cfg = _cfg(PLAIN, toy_pinpp, toy_processed,
               tmp_path_factory.mktemp('plain'))
    cfg.test_dataloader = cfg.test_evaluator = cfg.test_cfg = None
    runner = Runner.from_cfg(cfg)
    runner.train()
    return runner.message_hub.get_scalar('val/accuracy/top1').current()


@pytest.mark.slow
def test_toy_mpm_learns_parts_and_classes(toy_pinpp, toy_processed,
                                          plain_top1, tmp_path):
    cfg = _cfg(MPM, toy_pinpp, toy_processed, tmp_path)
    runner = Runner.from_cfg(cfg)
    runner.model.init_weights()
    start = runner.test()
    runner.train()
    top1 = runner.message_hub.get_scalar('val/accuracy/top1').current()
    end = runner.test()
    print(f'toy part mIoU {start["part/mIoU"]:.2f} -> {end["part/mIoU"]:.2f}'
          f'; val top-1 MPM {top1:.1f} vs plain {plain_top1:.1f}')
    assert end['part/mIoU'] > start['part/mIoU'] + 10
    assert end['part/mIoU'] > 3 * start['part/mIoU']
    assert top1 >= plain_top1
    assert top1 >= 60


@pytest.mark.slow
def test_toy_mpm_adversarial_recipe(toy_pinpp, toy_processed, tmp_path):
    cfg = _cfg(MPM_AT, toy_pinpp, toy_processed, tmp_path)
    cfg.train_cfg.max_epochs = 2
    cfg.train_cfg.val_interval = 2
    runner = Runner.from_cfg(cfg)
    runner.train()
    hub = runner.message_hub
    clean = hub.get_scalar('val/accuracy/top1').current()
    robust = hub.get_scalar('val/robust/top1').current()
    assert 0 <= robust <= clean
    # The ramp hook reached full strength after the one warm-up epoch.
    assert runner.model.adv_step_scale == 1.0
    assert osp.exists(osp.join(str(tmp_path), 'epoch_2.pth'))
