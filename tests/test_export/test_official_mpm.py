# Copyright (c) mmpart contributors. All rights reserved.
"""An official-layout checkpoint (timm ResNet-50-GELU under ``segmenter.``,
``cp*``, ``up_layer*``, ``segmenter_head*``, ``classifer.2``), built and run
independently of mmpart, converts to the same class and part logits."""
import argparse
import os
import os.path as osp
import subprocess
import sys

import pytest
import timm
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmpart.export import convert_official_mpm
from mmpart.registry import MODELS
from mmpart.utils import CheckpointWeightsError, checkpoint_weights
from ..conftest import PROJECT_ROOT

CONFIG = 'configs/mpm/mpm_resnet50-gelu_8xb64-stage2-at-80e_in1k-pinpp.py'
PARTS = 3311


def _sep(c_in, c_out):
    return nn.Sequential(
        nn.GELU(), nn.Conv2d(c_in, c_in, 3, padding=1, groups=c_in,
                             bias=False), nn.Conv2d(c_in, c_out, 1,
                                                    bias=False))


class OfficialMPM(nn.Module):
    """The paper's layout, written from its description."""

    def __init__(self):
        super().__init__()
        self.segmenter = timm.create_model('resnet50', act_layer='gelu',
                                           pretrained=False)
        self.cp1 = nn.Sequential(nn.Conv2d(2048, 512, 1, bias=False),
                                 nn.BatchNorm2d(512))
        self.cp2 = nn.Sequential(nn.Conv2d(1024, 256, 1, bias=False),
                                 nn.BatchNorm2d(256))
        self.cp3 = nn.Sequential(nn.Conv2d(512, 128, 1, bias=False),
                                 nn.BatchNorm2d(128))
        self.up_layer1 = _sep(512, 256)
        self.up_layer2 = _sep(256, 128)
        self.segmenter_head1 = _sep(512, PARTS)
        self.segmenter_head2 = _sep(256, PARTS)
        self.segmenter_head3 = _sep(128, PARTS)
        self.classifer = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                                       nn.Linear(2048, 1000))

    def forward(self, x):
        s = self.segmenter
        x = s.maxpool(s.act1(s.bn1(s.conv1(x))))
        l2 = s.layer2(s.layer1(x))
        l3 = s.layer3(l2)
        l4 = s.layer4(l3)
        m1 = self.cp1(l4)
        c3, c2 = self.cp2(l3), self.cp3(l2)
        m2 = F.interpolate(self.up_layer1(m1), size=c3.shape[-2:],
                           mode='bilinear', align_corners=False) + c3
        m3 = F.interpolate(self.up_layer2(m2), size=c2.shape[-2:],
                           mode='bilinear', align_corners=False) + c2
        parts = [self.segmenter_head1(m1), self.segmenter_head2(m2),
                 self.segmenter_head3(m3)]
        return self.classifer(l4), parts


@pytest.fixture(scope='module')
def official(tmp_path_factory):
    torch.manual_seed(0)
    model = OfficialMPM()
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.running_mean.uniform_(-0.2, 0.2)
            module.running_var.uniform_(0.5, 1.5)
            module.weight.data.uniform_(0.5, 1.5)
    model.eval()
    path = str(tmp_path_factory.mktemp('official') / 'official.pth')
    weights = {f'module.{k}': v for k, v in model.state_dict().items()}
    torch.save(dict(state_dict_ema=weights, epoch=80,
                    args=argparse.Namespace(lr=0.2, arch='resnet50')), path)
    return model, path


@pytest.mark.slow
def test_official_checkpoint_converts_to_equal_logits(official, tmp_path):
    model, path = official
    out = str(tmp_path / 'mmpart.pth')
    proc = subprocess.run(
        [sys.executable, 'tools/model_converters/official_mpm_to_mmpart.py',
         osp.join(PROJECT_ROOT, CONFIG), path, out], cwd=PROJECT_ROOT,
        env=dict(os.environ, PYTHONPATH=PROJECT_ROOT),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:]

    init_default_scope('mmpart')
    cfg = Config.fromfile(osp.join(PROJECT_ROOT, CONFIG))
    cfg.model.backbone.pop('init_cfg', None)
    mpm = MODELS.build(cfg.model)
    mpm.load_state_dict(torch.load(out)['state_dict'], strict=True)
    mpm.eval()
    x = torch.randn(2, 3, 64, 64, generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        ref_cls, ref_parts = model(x)
        cls = mpm(x, mode='tensor')
        parts = mpm.bypass(mpm.backbone(x))
    assert torch.allclose(cls, ref_cls, rtol=0, atol=1e-4)
    assert len(parts) == 3
    for p, r in zip(parts, ref_parts):
        assert p.shape == r.shape
        assert torch.allclose(p, r, rtol=0, atol=1e-4)


def test_weights_location_and_errors(official):
    model, _ = official
    sd = model.state_dict()
    plain = {'model': {f'module.{k}': v for k, v in sd.items()}}
    assert list(checkpoint_weights(plain, ema=False))[0] == list(sd)[0]
    with pytest.raises(CheckpointWeightsError, match='has no EMA weights'):
        checkpoint_weights(plain, ema=True)
    both = dict(state_dict={'a': torch.zeros(1)}, state_dict_ema=sd)
    assert checkpoint_weights(both, ema=False) == {'a': torch.zeros(1)}
    assert list(checkpoint_weights(both, ema=True)) == list(sd)
    with pytest.raises(CheckpointWeightsError, match='holds no model weights'):
        checkpoint_weights({'args': 1, 'epoch': 2}, ema=False)

    init_default_scope('mmpart')
    cfg = Config.fromfile(osp.join(PROJECT_ROOT, CONFIG))
    cfg.model.backbone.pop('init_cfg', None)
    target = MODELS.build(cfg.model).state_dict()
    broken = {k: v for k, v in sd.items() if not k.startswith('up_layer2')}
    with pytest.raises(ValueError, match='no official weights for'):
        convert_official_mpm(broken, target)
