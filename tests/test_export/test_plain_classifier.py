# Copyright (c) mmpart contributors. All rights reserved.
"""MPM -> plain mmpretrain: vanilla mmpretrain (no mmpart imported) loads
the exported config and checkpoint and gives identical logits."""
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmpart.registry import MODELS

from ..conftest import PROJECT_ROOT

VANILLA = r'''
import sys
import torch
from mmengine.config import Config
from mmengine.runner import load_checkpoint
from mmpretrain.registry import MODELS
from mmpretrain.utils import register_all_modules

register_all_modules()
cfg = Config.fromfile(sys.argv[1])
model = MODELS.build(cfg.model)
load_checkpoint(model, sys.argv[2], strict=True)
model.eval()
with torch.no_grad():
    logits = model(torch.load(sys.argv[3]), mode='tensor')
torch.save(logits, sys.argv[4])
assert not any(m.startswith('mmpart') for m in sys.modules), 'mmpart used'
print(type(model.backbone).__name__)
'''


@pytest.mark.parametrize('config,size,backbone', [
    ('configs/mpm/mpm_resnet50-gelu_8xb64-stage2-at-80e_in1k-pinpp.py', 64,
     'TIMMBackbone'),
    ('configs/toy/mpm_resnet18-w32_1xb32-12e_toy-pinpp.py', 96, 'ResNet'),
])
def test_export_gives_identical_logits_in_vanilla_mmpretrain(
        config, size, backbone, tmp_path):
    init_default_scope('mmpart')
    cfg = Config.fromfile(osp.join(PROJECT_ROOT, config))
    cfg.model.backbone.pop('init_cfg', None)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    # Non-trivial BN statistics, as after training.
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.running_mean.uniform_(-0.1, 0.1)
            module.running_var.uniform_(0.5, 1.5)
    model.eval()
    ckpt = str(tmp_path / 'mpm.pth')
    torch.save(dict(state_dict=model.state_dict(), meta=dict(epoch=1)), ckpt)

    env = dict(os.environ, PYTHONPATH=PROJECT_ROOT)
    proc = subprocess.run(
        [sys.executable, 'tools/model_converters/mpm_to_mmpretrain.py',
         osp.join(PROJECT_ROOT, config), ckpt, str(tmp_path / 'out'),
         '--name', 'plain'], cwd=PROJECT_ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:]
    exported = Config.fromfile(str(tmp_path / 'out' / 'plain.py'))
    assert exported.model.type == 'ImageClassifier'
    assert 'bypass' not in exported.model
    weights = torch.load(str(tmp_path / 'out' / 'plain.pth'))['state_dict']
    assert not any(k.startswith('bypass') for k in weights)

    inputs = torch.randn(2, 3, size, size, generator=torch.Generator()
                         .manual_seed(1))
    torch.save(inputs, str(tmp_path / 'x.pt'))
    with torch.no_grad():
        expected = model(inputs, mode='tensor')
    script = tmp_path / 'vanilla.py'
    script.write_text(VANILLA)
    # No PYTHONPATH to the project: mmpart is only importable as installed,
    # and the script checks it never gets imported.
    proc = subprocess.run(
        [sys.executable, str(script), str(tmp_path / 'out' / 'plain.py'),
         str(tmp_path / 'out' / 'plain.pth'), str(tmp_path / 'x.pt'),
         str(tmp_path / 'y.pt')], cwd=str(tmp_path),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert proc.stdout.strip().splitlines()[-1] == backbone
    logits = torch.load(str(tmp_path / 'y.pt'))
    assert logits.shape == expected.shape
    assert torch.equal(logits, expected) or torch.allclose(
        logits, expected, rtol=0, atol=1e-5)
