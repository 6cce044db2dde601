# Copyright (c) mmpart contributors. All rights reserved.
"""MPM -> plain mmpretrain: the backbone table, the test-pipeline rewrite,
and vanilla mmpretrain (no mmpart imported) loading the exported config and
checkpoint with identical logits."""
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmpart.export import (PLAIN_BACKBONES, export_plain_classifier,
                           plain_backbone, plain_test_pipeline)
from mmpart.registry import MODELS
from ..conftest import PROJECT_ROOT

MPM_CONFIG = 'configs/mpm/mpm_resnet50-gelu_8xb64-stage2-at-80e_in1k-pinpp.py'
TOY_MPM_CONFIG = 'configs/toy/mpm_resnet18-w32_1xb32-12e_toy-pinpp-parts.py'

VANILLA = r'''
import sys
import numpy as np
import torch
from mmengine.config import Config
from mmengine.runner import load_checkpoint
from mmpretrain.apis import ImageClassificationInferencer
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
# mmpretrain's inferencer builds the exported test pipeline.
inferencer = ImageClassificationInferencer(sys.argv[1], pretrained=sys.argv[2])
result = inferencer(np.zeros((120, 100, 3), np.uint8))[0]
assert result['pred_scores'].shape == (logits.shape[1], ), result
# The class names come from the checkpoint's dataset_meta.
assert result['pred_class'] == f"class {result['pred_label']}", result
assert not any(m.startswith('mmpart') for m in sys.modules), 'mmpart used'
# On a line of its own: the inferencer's progress bar ends without one.
print('\n' + type(model.backbone).__name__)
'''


def test_backbone_table():
    assert set(PLAIN_BACKBONES) == {'ResNetGELU'}
    plain, old, new = plain_backbone(
        dict(type='mmpart.ResNetGELU', depth=50, out_indices=(1, 2, 3),
             init_cfg=dict(type='Pretrained', checkpoint='x.pth')))
    assert plain == dict(type='TIMMBackbone', model_name='resnet50',
                         act_layer='gelu', pretrained=False,
                         features_only=False)
    assert (old, new) == ('backbone.', 'backbone.timm_model.')
    # mmpretrain backbones pass through, with only their last stage.
    plain, old, new = plain_backbone(
        dict(type='ResNet', depth=18, out_indices=(1, 2, 3),
             frozen_stages=1))
    assert plain == dict(type='ResNet', depth=18, out_indices=(3, ))
    assert old == new == 'backbone.'
    assert plain_backbone(dict(type='mmpretrain.ResNet', depth=18))[0] == \
        dict(type='ResNet', depth=18)


def test_backbone_without_plain_form_is_refused():
    # An mmpart module outside the table (here the part bypass).
    with pytest.raises(ValueError) as error:
        plain_backbone(dict(type='MultiScalePartBypass', in_channels=(8, )))
    message = str(error.value)
    assert "'MultiScalePartBypass'" in message
    assert "mmpart.export.PLAIN_BACKBONES, which knows ['ResNetGELU']" in \
        message
    with pytest.raises(ValueError, match='not an mmpretrain module'):
        plain_backbone(dict(type='NoSuchBackbone'))
    with pytest.raises(ValueError, match='only standard pytorch-style'):
        plain_backbone(dict(type='ResNetGELU', depth=50, style='caffe'))


def test_test_pipeline_rewrite():
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='LoadPartMap'),
        dict(type='mmpart.PartResizeEdge', scale=256, edge='short'),
        dict(type='CenterCrop', crop_size=224),
        dict(type='PackPartInputs', meta_keys=('img_path', )),
    ]
    assert plain_test_pipeline(pipeline) == [
        dict(type='LoadImageFromFile'),
        dict(type='ResizeEdge', scale=256, edge='short'),
        dict(type='CenterCrop', crop_size=224),
        dict(type='PackInputs', meta_keys=('img_path', )),
    ]
    with pytest.raises(ValueError, match='ImageNetCorruption.*PLAIN_TRANS'):
        plain_test_pipeline([dict(type='ImageNetCorruption')])


def test_export_config_and_weights():
    init_default_scope('mmpart')
    cfg = Config.fromfile(osp.join(PROJECT_ROOT, TOY_MPM_CONFIG))
    model = MODELS.build(cfg.model)
    state_dict = model.state_dict()
    plain_cfg, weights = export_plain_classifier(cfg, state_dict)
    assert plain_cfg.default_scope == 'mmpretrain'
    assert plain_cfg.model.type == 'ImageClassifier'
    assert plain_cfg.model.data_preprocessor.type == 'ClsDataPreprocessor'
    assert 'bypass' not in plain_cfg.model
    assert list(weights) == [
        k for k in state_dict if k.split('.')[0] in ('backbone', 'head')
    ]
    types = [t['type'] for t in plain_cfg.test_pipeline]
    assert types == ['LoadImageFromFile', 'ResizeEdge', 'CenterCrop',
                     'PackInputs']
    assert plain_cfg.test_dataloader.dataset == dict(
        type='CustomDataset', pipeline=plain_cfg.test_pipeline)


@pytest.mark.slow
@pytest.mark.parametrize('config,size,backbone', [
    (MPM_CONFIG, 64, 'TIMMBackbone'),
    (TOY_MPM_CONFIG, 96, 'ResNet'),
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
    classes = [f'class {i}' for i in range(cfg.model.head.num_classes)]
    torch.save(
        dict(
            state_dict=model.state_dict(),
            meta=dict(epoch=1, dataset_meta=dict(classes=classes))), ckpt)

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
