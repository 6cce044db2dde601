# Copyright (c) mmpart contributors. All rights reserved.
import os.path as osp
import pickle

import pytest
import torch
from mmengine.config import Config
from mmengine.logging import HistoryBuffer
from mmengine.runner import Runner, load_checkpoint

import mmpart  # noqa: F401
from mmpart.utils import history_buffer_getattr

from ..conftest import PROJECT_ROOT

TOY_CONFIG = osp.join(PROJECT_ROOT, 'configs', 'toy',
                      'resnet18-w32_1xb32-12e_toy-pinpp.py')


def _short_cfg(data_root, work_dir, max_epochs):
    """The toy config on 64 images, deterministic, no validation."""
    cfg = Config.fromfile(TOY_CONFIG)
    cfg.work_dir = str(work_dir)
    cfg.train_cfg.max_epochs = max_epochs
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    cfg.test_cfg = cfg.test_dataloader = cfg.test_evaluator = None
    loader = cfg.train_dataloader
    loader.num_workers = 0
    loader.dataset.data_root = data_root
    loader.dataset.classes = osp.join(data_root, 'meta', 'classes.txt')
    loader.dataset.indices = 64
    # No random augmentation: the main process's numpy RNG state is not
    # part of a checkpoint, the sampler's per-epoch seed is.
    loader.dataset.pipeline = cfg.test_pipeline
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=1)
    cfg.default_hooks.logger.interval = 1
    return cfg


def test_resume_continues_exactly(toy_pinpp, tmp_path):
    data_root, _ = toy_pinpp
    straight = Runner.from_cfg(_short_cfg(data_root, tmp_path / 'a', 4))
    straight.train()

    stopped = Runner.from_cfg(_short_cfg(data_root, tmp_path / 'b', 2))
    stopped.train()
    iters_per_epoch = len(stopped.train_dataloader)
    assert stopped.iter == 2 * iters_per_epoch

    # The checkpoint loads under torch's default weights_only=True.
    ckpt_path = str(tmp_path / 'b' / 'epoch_2.pth')
    ckpt = torch.load(ckpt_path, map_location='cpu')
    assert ckpt['meta']['iter'] == 2 * iters_per_epoch
    assert isinstance(ckpt['message_hub']['log_scalars']['train/loss'],
                      HistoryBuffer)

    resume_cfg = _short_cfg(data_root, tmp_path / 'b', 4)
    resume_cfg.resume = True  # from the work dir's last checkpoint
    resumed = Runner.from_cfg(resume_cfg)
    resumed.train()
    assert resumed.iter == straight.iter == 4 * iters_per_epoch
    assert resumed.epoch == straight.epoch == 4

    a = straight.model.state_dict()
    b = resumed.model.state_dict()
    assert a.keys() == b.keys()
    for key in a:
        assert torch.equal(a[key], b[key]), key
    opt_a = straight.optim_wrapper.optimizer.state_dict()
    opt_b = resumed.optim_wrapper.optimizer.state_dict()
    assert opt_a['param_groups'][0]['lr'] == opt_b['param_groups'][0]['lr']
    for idx, state in opt_a['state'].items():
        assert torch.equal(state['momentum_buffer'],
                           opt_b['state'][idx]['momentum_buffer'])
    # The resumed run trained only the missing epochs.
    log = open(osp.join(resumed.log_dir, f'{resumed.timestamp}.log')).read()
    assert 'resumed epoch: 2' in log
    assert 'Epoch(train) [1]' not in log and 'Epoch(train) [3]' in log


class Payload:
    """Any class that nobody allow-listed."""


class RunsCode:

    def __reduce__(self):
        return (eval, ('1 + 1', ))


class ReachesGlobals:
    """Tries the restricted getattr on something other than a statistic."""

    def __reduce__(self):
        return (getattr, (HistoryBuffer, '__init__'))


@pytest.mark.parametrize('payload', [Payload(), RunsCode(), ReachesGlobals()])
def test_arbitrary_objects_are_refused(tmp_path, payload):
    path = str(tmp_path / 'evil.pth')
    torch.save(dict(state_dict={'w': torch.zeros(1)}, meta=payload), path)
    with pytest.raises(pickle.UnpicklingError):
        torch.load(path)
    with pytest.raises(pickle.UnpicklingError):
        load_checkpoint(torch.nn.Linear(1, 1), path)


def test_restricted_getattr():
    assert history_buffer_getattr(HistoryBuffer, 'mean') is \
        HistoryBuffer.mean
    with pytest.raises(pickle.UnpicklingError, match='only HistoryBuffer'):
        history_buffer_getattr(torch, 'load')
