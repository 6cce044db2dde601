# Copyright (c) mmpart contributors. All rights reserved.
import copy
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner, save_checkpoint

from mmpart.engine.hooks import add_checkpoint_coverage_hook
from mmpart.registry import MODELS
from mmpart.utils import PartialCheckpointError
from ..conftest import PROJECT_ROOT

TOY_PLAIN = 'configs/toy/resnet18-w32_1xb32-12e_toy-pinpp.py'
EPISODIC = [
    'configs/toy/meta-baseline_resnet12-w16_1xb100-4e_toy-fewshot-5way5shot-'
    '84px.py',
    'configs/toy/meta-baseline-part-aware_resnet12-w16_1xb100-4e_toy-fewshot-'
    'official-5way5shot-80px.py',
    'configs/toy/deepemd_resnet12-w16_1xb25-4e_toy-fewshot-official-5way1shot-'
    '84px.py',
]


def five_class_checkpoint(cfg: Config, path: str) -> str:
    cfg = copy.deepcopy(cfg)
    cfg.model.head.num_classes = 5
    save_checkpoint(dict(state_dict=MODELS.build(cfg.model).state_dict()),
                    path)
    return path


def test_runner_refuses_a_checkpoint_of_another_model(tmp_path):
    # tools/test.py reported metrics (10 % top-1) for a model that kept its
    # initial weights when the checkpoint matched nothing.
    cfg = Config.fromfile(osp.join(PROJECT_ROOT, TOY_PLAIN))
    cfg.work_dir = str(tmp_path)
    cfg.load_from = five_class_checkpoint(cfg, str(tmp_path / 'five.pth'))
    add_checkpoint_coverage_hook(cfg)
    runner = Runner.from_cfg(cfg)
    with pytest.raises(PartialCheckpointError,
                       match='five.pth does not cover the ImageClassifier'):
        runner.load_or_resume()

    cfg.allow_partial_checkpoint = True
    cfg.custom_hooks = []
    cfg.experiment_name = 'partial'
    add_checkpoint_coverage_hook(cfg)
    runner = Runner.from_cfg(cfg)
    runner.load_or_resume()
    torch.testing.assert_close(
        runner.model.backbone.conv1.weight,
        torch.load(cfg.load_from)['state_dict']['backbone.conv1.weight'])


@pytest.mark.parametrize('config', EPISODIC)
def test_episodic_configs_load_classifier_checkpoints_partly(config):
    # They score any classifier's checkpoint by its backbone.* weights.
    cfg = Config.fromfile(osp.join(PROJECT_ROOT, config))
    add_checkpoint_coverage_hook(cfg)
    assert cfg.custom_hooks[-1] == dict(
        type='mmpart.CheckpointCoverageHook', allow_partial=True)
