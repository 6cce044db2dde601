# Copyright (c) mmpart contributors. All rights reserved.
import os.path as osp
import pickle

import numpy as np
import pytest
import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.logging import HistoryBuffer
from mmengine.model import BaseModel
from mmengine.model.weight_init import PretrainedInit
from mmengine.runner import Runner, load_checkpoint
from mmengine.runner.checkpoint import CheckpointLoader

import mmpart  # noqa: F401
from mmpart.utils import UnsafeCheckpointError, history_buffer_getattr
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


@pytest.mark.slow
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


class TinyModel(BaseModel):
    """The smallest model a runner takes."""

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        return self.linear(inputs)


PAYLOAD = f'{__name__}.Payload'


def _evil_checkpoint(tmp_path, payload) -> str:
    path = str(tmp_path / 'evil.pth')
    torch.save(
        dict(state_dict={'linear.weight': torch.zeros(1, 1)}, meta=payload),
        path)
    return path


@pytest.mark.parametrize('payload,refused', [(Payload(), PAYLOAD),
                                             (RunsCode(), 'eval'),
                                             (ReachesGlobals(), None)])
def test_arbitrary_objects_are_refused(tmp_path, payload, refused):
    path = _evil_checkpoint(tmp_path, payload)
    with pytest.raises(pickle.UnpicklingError):
        torch.load(path)
    with pytest.raises(UnsafeCheckpointError) as error:
        load_checkpoint(nn.Linear(1, 1), path)
    message = str(error.value)
    assert error.value.refused == refused
    assert message.startswith(f'{path}: the checkpoint holds ')
    assert 'mmpart will not unpickle' in message
    if refused is None:
        assert 'only HistoryBuffer statistics methods' in message
    else:
        assert f'holds `{refused}`' in message
    # Refusing stays the advice: nothing suggests switching the check off.
    assert 'weights_only' not in message and 'add_safe_globals' not in message
    assert error.value.__cause__ is None
    assert error.value.__suppress_context__


def test_every_mmengine_load_explains_a_refusal(tmp_path):
    path = _evil_checkpoint(tmp_path, Payload())
    # init_cfg=dict(type='Pretrained', checkpoint=...)
    with pytest.raises(UnsafeCheckpointError, match=f'holds `{PAYLOAD}`'):
        PretrainedInit(checkpoint=path)(TinyModel())
    # resume=True / --resume (load_from behaves the same: both go through
    # Runner.load_checkpoint)
    runner = Runner(
        model=TinyModel(),
        work_dir=str(tmp_path / 'work'),
        load_from=path,
        resume=True,
        experiment_name='resume_refused')
    with pytest.raises(UnsafeCheckpointError, match=f'holds `{PAYLOAD}`'):
        runner.load_or_resume()


def test_runner_checkpoint_types_still_load(tmp_path):
    buffer = HistoryBuffer()
    buffer.update(0.5)
    buffer.update(0.25)
    path = str(tmp_path / 'runner.pth')
    torch.save(
        dict(
            state_dict={'linear.weight': torch.ones(1, 1)},
            message_hub=dict(log_scalars={'train/loss': buffer}),
            meta=dict(
                seed=np.int64(3), mean=np.float32(0.5), array=np.arange(3))),
        path)
    checkpoint = CheckpointLoader.load_checkpoint(path, map_location='cpu')
    loaded = checkpoint['message_hub']['log_scalars']['train/loss']
    assert isinstance(loaded, HistoryBuffer)
    assert loaded.mean() == pytest.approx(0.375)
    assert checkpoint['meta']['seed'] == 3
    assert checkpoint['meta']['array'].tolist() == [0, 1, 2]
    model = TinyModel()
    load_checkpoint(model, path)
    assert model.linear.weight.item() == 1.0


def test_restricted_getattr():
    assert history_buffer_getattr(HistoryBuffer, 'mean') is \
        HistoryBuffer.mean
    with pytest.raises(pickle.UnpicklingError, match='only HistoryBuffer'):
        history_buffer_getattr(torch, 'load')
