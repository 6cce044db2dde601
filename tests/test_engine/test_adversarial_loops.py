# Copyright (c) mmpart contributors. All rights reserved.
"""Robust accuracy in the mmengine test loop (torchattacks) on a toy model."""
import os.path as osp

import pytest
from mmengine.config import Config
from mmengine.runner import Runner

from ..conftest import PROJECT_ROOT

CONFIG = 'configs/toy/resnet18-w32_1xb32-12e_toy-pinpp.py'


def _cfg(data_root, work_dir):
    cfg = Config.fromfile(osp.join(PROJECT_ROOT, CONFIG))
    cfg.work_dir = str(work_dir)
    classes = osp.join(data_root, 'meta', 'classes.txt')
    for name in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[name].dataset.data_root = data_root
        cfg[name].dataset.classes = classes
        cfg[name].num_workers = 0
    cfg.test_dataloader.dataset.indices = 40
    cfg.test_dataloader.batch_size = 40
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    cfg.default_hooks.logger.interval = 50
    return cfg


@pytest.fixture(scope='module')
def toy_checkpoint(toy_pinpp, tmp_path_factory):
    data_root, _ = toy_pinpp
    work_dir = tmp_path_factory.mktemp('adv_toy')
    cfg = _cfg(data_root, work_dir)
    cfg.train_cfg.max_epochs = 6
    Runner.from_cfg(cfg).train()
    return data_root, osp.join(str(work_dir), 'epoch_6.pth')


def _test(toy_checkpoint, tmp_path, attack=None, adversarial=True,
          restarts=1):
    data_root, ckpt = toy_checkpoint
    cfg = _cfg(data_root, tmp_path)
    cfg.load_from = ckpt
    if adversarial:
        cfg.test_cfg = dict(type='AdversarialTestLoop', attack=attack,
                            restarts=restarts)
        cfg.test_evaluator = [dict(type='Accuracy', topk=(1, )),
                              dict(type='RobustAccuracy')]
    return Runner.from_cfg(cfg).test()


def test_robust_accuracy_falls_with_eps(toy_checkpoint, tmp_path):
    clean = _test(toy_checkpoint, tmp_path, adversarial=False)
    robust = []
    for eps in (0.25, 1, 4, 64):
        metrics = _test(
            toy_checkpoint, tmp_path,
            dict(type='PGD', eps=eps / 255, alpha=eps / 255 / 4, steps=10,
                 random_start=False))
        # The clean accuracy of the adversarial loop is mmpretrain's.
        assert metrics['accuracy/top1'] == clean['accuracy/top1']
        robust.append(metrics['robust/top1'])
    print(f'clean {clean["accuracy/top1"]}, PGD-10 at 0.25/1/4/64 of 255: '
          f'{robust}')
    assert clean['accuracy/top1'] > 30
    assert robust[0] <= clean['accuracy/top1']
    assert all(a >= b for a, b in zip(robust, robust[1:]))
    assert robust[0] > robust[-1]
    assert robust[-1] == 0


def test_l2_pgd_and_restarts(toy_checkpoint, tmp_path):
    attack = dict(type='PGDL2', eps=0.5, alpha=0.1, steps=5)
    one = _test(toy_checkpoint, tmp_path, attack)
    three = _test(toy_checkpoint, tmp_path, attack, restarts=3)
    # Random starts: a sample broken by any restart counts as broken.
    assert three['robust/top1'] <= one['robust/top1'] + 2.5
    assert 0 <= three['robust/top1'] < one['accuracy/top1']
    with pytest.raises(KeyError, match='no attack'):
        _test(toy_checkpoint, tmp_path, dict(type='NoSuchAttack'))
