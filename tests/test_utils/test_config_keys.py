# Copyright (c) mmpart contributors. All rights reserved.
import logging
import os.path as osp
import subprocess
import sys

import pytest
from mmengine.config import Config

from mmpart.utils import config_keys
from mmpart.utils.config_keys import (UnknownConfigKeyError, check_config_keys,
                                      runner_config_keys, unknown_config_keys)
from ..conftest import PROJECT_ROOT
from ..test_configs.test_all_configs import CONFIG_DIR, MODEL_CONFIGS

TOY = osp.join(PROJECT_ROOT, 'configs/toy/resnet18-w32_1xb32-12e_toy-pinpp.py')


def misspelt_config(tmp_path) -> str:
    path = tmp_path / 'misspelt.py'
    path.write_text(f"_base_ = ['{TOY}']\n"
                    "optim_wraper = dict(optimizer=dict(lr=1.0))\n"
                    "_helper = 3\n")
    return str(path)


def test_runner_keys_come_from_mmengine():
    # Read from Runner.from_cfg's source: fails here if mmengine stops
    # reading them that way.
    assert {'model', 'optim_wrapper', 'train_dataloader', 'param_scheduler',
            'default_hooks', 'custom_hooks', 'load_from', 'resume',
            'randomness', 'work_dir'} <= runner_config_keys()


@pytest.mark.parametrize('config', MODEL_CONFIGS)
def test_every_config_has_only_known_keys(config):
    assert unknown_config_keys(
        Config.fromfile(osp.join(CONFIG_DIR, config))) == []


def test_misspelt_key_warns_or_is_refused(tmp_path, monkeypatch):
    path = misspelt_config(tmp_path)
    cfg = Config.fromfile(path)
    # The warning goes to mmengine's current logger, whose stream an
    # earlier test may have set: record the call itself.
    logged = []
    monkeypatch.setattr(
        config_keys, 'print_log',
        lambda msg, logger=None, level=None: logged.append((msg, level)))
    assert check_config_keys(cfg, path) == ['optim_wraper']
    assert len(logged) == 1
    assert logged[0][0].startswith('UNKNOWN CONFIG KEYS: ')
    assert 'optim_wraper' in logged[0][0]
    assert logged[0][1] == logging.WARNING
    with pytest.raises(UnknownConfigKeyError,
                       match=r"misspelt.py: top-level key\(s\) "
                       r"\['optim_wraper'\] are read by no runner"):
        check_config_keys(cfg, path, strict=True)


def test_train_tool_refuses_with_strict_config(tmp_path):
    # The misspelt key used to train at the default lr with exit 0.
    proc = subprocess.run(
        [sys.executable, 'tools/train.py', misspelt_config(tmp_path),
         '--strict-config', '--work-dir', str(tmp_path / 'work')],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True)
    assert proc.returncode != 0
    assert 'UnknownConfigKeyError' in proc.stdout
    assert "['optim_wraper']" in proc.stdout
