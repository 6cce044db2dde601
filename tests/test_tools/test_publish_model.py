# Copyright (c) mmpart contributors. All rights reserved.
import os
import os.path as osp
from collections import OrderedDict

import pytest
import torch
from mmengine.hooks import EMAHook
from mmengine.model import ExponentialMovingAverage

from mmpart import __version__
from mmpart.utils import file_sha256
from ..conftest import load_tool, write_toy_config

publish_model = load_tool('tools/model_converters/publish_model.py')

TOY_CONFIG = 'configs/toy/resnet18-w32_1xb32-12e_toy-pinpp.py'


def train_ema_toy(data_root: str, work_dir: str):
    """Train the toy classifier one epoch (16 iterations) with EMAHook.

    Args:
        data_root (str): The toy set.
        work_dir (str): The runner's work dir.

    Returns:
        tuple[str, dict, dict]: The epoch checkpoint, and the raw and the
        averaged weights the runner held when it saved it.
    """
    from mmengine.config import Config
    from mmengine.runner import Runner
    config = write_toy_config(
        osp.join(work_dir, 'cfg.py'),
        TOY_CONFIG,
        data_root,
        'train_cfg = dict(max_epochs=1)\n'
        'train_dataloader.update(num_workers=0)\n'
        'val_dataloader.update(num_workers=0)\n'
        'default_hooks = dict(logger=dict(interval=50))\n'
        # A fast average, so that it differs from the raw weights.
        "custom_hooks = [dict(type='EMAHook', momentum=0.5)]\n")
    cfg = Config.fromfile(config)
    cfg.work_dir = work_dir
    runner = Runner.from_cfg(cfg)
    runner.train()
    (hook, ) = [h for h in runner.hooks if isinstance(h, EMAHook)]
    # Validation after the last epoch swaps the weights twice, so both
    # models are as they were when the checkpoint was saved.
    raw = {k: v.clone() for k, v in runner.model.state_dict().items()}
    ema = {k: v.clone() for k, v in hook.ema_model.module.state_dict().items()}
    return osp.join(work_dir, 'epoch_1.pth'), raw, ema


@pytest.fixture(scope='module')
def ema_run(toy_pinpp, tmp_path_factory):
    """A toy runner checkpoint with EMA, in a work dir named like the
    config stem."""
    data_root, _ = toy_pinpp
    work_dir = tmp_path_factory.mktemp('publish') / 'resnet18-w32_toy-ema'
    work_dir.mkdir()
    return train_ema_toy(data_root, str(work_dir))


def assert_same_weights(published: dict, expected: dict):
    assert list(published) == list(expected)
    for key, value in expected.items():
        assert torch.equal(published[key], value), key


@pytest.mark.slow
def test_publish_runner_checkpoint(ema_run, tmp_path, capsys):
    checkpoint, raw, ema = ema_run
    # The two weights differ, so the test tells them apart.
    assert not torch.equal(raw['backbone.conv1.weight'],
                           ema['backbone.conv1.weight'])
    out = tmp_path / 'zoo'
    publish_model.main(
        [checkpoint,
         str(out), '--base-url', 'https://zoo.example/v1/'])
    lines = capsys.readouterr().out.splitlines()
    (name, ) = os.listdir(out)  # no temporary file left
    sha256 = file_sha256(str(out / name))
    assert name == f'resnet18-w32_toy-ema-{sha256[:8]}.pth'
    assert lines[-2:] == [
        f'Weights: https://zoo.example/v1/{name}', f'SHA256: {sha256}'
    ]
    published = torch.load(out / name, weights_only=True)
    assert set(published) == {'state_dict', 'meta'}
    assert published['meta'] == dict(
        mmpart_version=__version__,
        source='epoch_1.pth',
        dataset_meta=torch.load(checkpoint)['meta']['dataset_meta'])
    assert_same_weights(published['state_dict'], raw)

    publish_model.main([checkpoint, str(out), '--ema', '--name', 'avg'])
    lines = capsys.readouterr().out.splitlines()
    (name, ) = [n for n in os.listdir(out) if n.startswith('avg-')]
    assert lines[-2:] == [
        f'Weights: {name}', f'SHA256: {file_sha256(str(out / name))}'
    ]
    published = torch.load(out / name, weights_only=True)
    assert_same_weights(published['state_dict'], ema)


def save_ema_checkpoint(path: str) -> tuple:
    """Save a checkpoint as a runner with EMAHook does, without a runner.

    Returns:
        tuple[dict, dict]: The raw and the averaged weights.
    """
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.BatchNorm1d(2))
    hook = EMAHook(momentum=0.5)
    hook.ema_model = ExponentialMovingAverage(model, momentum=0.5)
    for _ in range(3):
        with torch.no_grad():
            for param in model.parameters():
                param.add_(torch.randn_like(param))
        hook.ema_model.update_parameters(model)
    raw = {k: v.clone() for k, v in model.state_dict().items()}
    ema = {k: v.clone() for k, v in hook.ema_model.module.state_dict().items()}
    checkpoint = dict(
        meta=dict(epoch=1, cfg='model = dict()'),
        state_dict=OrderedDict(model.state_dict()),
        optimizer=dict(state={}, param_groups=[dict(lr=0.1)]),
        param_schedulers=[dict(last_epoch=1)],
        message_hub=dict(log_scalars={}))
    hook.before_save_checkpoint(None, checkpoint)
    torch.save(checkpoint, path)
    return raw, ema


def test_publish_ema_layout(tmp_path):
    raw, ema = save_ema_checkpoint(str(tmp_path / 'epoch_1.pth'))
    assert not torch.equal(raw['0.weight'], ema['0.weight'])
    path, sha256 = publish_model.publish_checkpoint(
        str(tmp_path / 'epoch_1.pth'), str(tmp_path / 'out'), name='m')
    assert osp.basename(path) == f'm-{sha256[:8]}.pth'
    published = torch.load(path, weights_only=True)
    assert set(published) == {'state_dict', 'meta'}
    # No dataset_meta in the source, none in the output.
    assert published['meta'] == dict(
        mmpart_version=__version__, source='epoch_1.pth')
    assert_same_weights(published['state_dict'], raw)
    path, _ = publish_model.publish_checkpoint(
        str(tmp_path / 'epoch_1.pth'), str(tmp_path / 'out'), 'm', ema=True)
    assert_same_weights(torch.load(path)['state_dict'], ema)


def test_publish_without_ema(tmp_path):
    state_dict = OrderedDict(w=torch.arange(4.), b=torch.ones(2))
    folder = tmp_path / 'my-config'
    folder.mkdir()
    torch.save(
        dict(
            state_dict=state_dict,
            optimizer={},
            meta=dict(dataset_meta=dict(classes=('a', 'b')))),
        folder / 'best.pth')
    path, sha256 = publish_model.publish_checkpoint(
        str(folder / 'best.pth'), str(tmp_path / 'out'))
    # The name defaults to the checkpoint's folder.
    assert osp.basename(path) == f'my-config-{sha256[:8]}.pth'
    assert sha256 == file_sha256(path)
    published = torch.load(path, weights_only=True)
    assert_same_weights(published['state_dict'], state_dict)
    assert published['meta']['dataset_meta'] == dict(classes=('a', 'b'))

    with pytest.raises(ValueError, match='has no EMA weights'):
        publish_model.publish_checkpoint(
            str(folder / 'best.pth'), str(tmp_path / 'out'), ema=True)
    # A bare state dict is the model's weights.
    torch.save(state_dict, folder / 'bare.pth')
    path, _ = publish_model.publish_checkpoint(
        str(folder / 'bare.pth'), str(tmp_path / 'out'), 'bare')
    assert_same_weights(torch.load(path)['state_dict'], state_dict)
    assert sorted(os.listdir(tmp_path / 'out')) == sorted(
        [osp.basename(path), f'my-config-{sha256[:8]}.pth'])


def test_publish_bad_input(tmp_path):
    torch.save(dict(meta={}, optimizer={}), tmp_path / 'no_weights.pth')
    with pytest.raises(ValueError, match='no_weights.pth holds no model'):
        publish_model.publish_checkpoint(
            str(tmp_path / 'no_weights.pth'), str(tmp_path / 'out'), 'x')
    with pytest.raises(ValueError, match="bad published name 'a/b'"):
        publish_model.publish_checkpoint(
            str(tmp_path / 'no_weights.pth'), str(tmp_path / 'out'), 'a/b')
    assert not osp.exists(tmp_path / 'out')
