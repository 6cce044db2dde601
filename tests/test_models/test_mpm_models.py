# Copyright (c) mmpart contributors. All rights reserved.
import pytest
import torch
import torch.nn as nn
import torchvision
from mmengine.registry import init_default_scope
from mmpretrain.structures import DataSample

from mmpart.models import (AdvImageClassifier, MultiScalePartBypass,
                           PartClsDataPreprocessor, pgd_linf)
from mmpart.registry import MODELS
from mmpart.structures import PartTargets


@pytest.fixture(autouse=True)
def scope():
    init_default_scope('mmpart')


def test_resnet_gelu_matches_torchvision_layout():
    backbone = MODELS.build(dict(type='ResNetGELU', depth=50))
    assert not any(isinstance(m, nn.ReLU) for m in backbone.modules())
    # One activation module in the stem and per block (each block applies
    # its own three times, like torchvision's).
    assert sum(isinstance(m, nn.GELU) for m in backbone.modules()) == 17
    tv = torchvision.models.resnet50(weights=None).state_dict()
    tv = {k: v for k, v in tv.items() if not k.startswith('fc.')}
    missing, unexpected = backbone.load_state_dict(tv, strict=False)
    assert not missing and not unexpected


@pytest.mark.parametrize('num_scales', [1, 2, 3])
@pytest.mark.parametrize('top_down', [True, False])
def test_bypass_scales_and_top_down(num_scales, top_down):
    bypass = MultiScalePartBypass(in_channels=(32, 64, 128), num_classes=7,
                                  num_scales=num_scales, top_down=top_down)
    feats = [torch.randn(2, 32, 16, 16), torch.randn(2, 64, 8, 8),
             torch.randn(2, 128, 4, 4)]
    outs = bypass(feats)
    assert [tuple(o.shape) for o in outs] == [
        (2, 7, 4, 4), (2, 7, 8, 8), (2, 7, 16, 16)][:num_scales]
    assert len(bypass.up) == (num_scales - 1 if top_down else 0)


def test_bypass_size_and_top_down_effect():
    bypass = MultiScalePartBypass()  # ResNet-50, 3311 parts
    params = sum(p.numel() for p in bypass.parameters()) / 1e6
    assert 4.4 < params < 4.6  # "~4.5 M parameters"
    bypass.eval()
    feats = [torch.randn(1, 512, 28, 28), torch.randn(1, 1024, 14, 14),
             torch.randn(1, 2048, 7, 7)]
    finest = bypass(feats)[-1]
    # The top-down path carries stage-4 information to the finest scale.
    feats[2] = torch.randn(1, 2048, 7, 7)
    assert not torch.allclose(bypass(feats)[-1], finest)
    with pytest.raises(ValueError, match='num_scales'):
        MultiScalePartBypass(num_scales=4)


def _toy_mpm(**kwargs):
    return MODELS.build(dict(
        type='MPMClassifier',
        backbone=dict(type='ResNet', depth=18, base_channels=8,
                      stem_channels=8, out_indices=(1, 2, 3)),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(type='LinearClsHead', num_classes=3, in_channels=64),
        bypass=dict(type='MultiScalePartBypass', in_channels=(16, 32, 64),
                    num_classes=6),
        part_loss=dict(type='SoftFocalPartLoss', target_size=(8, 8)),
        data_preprocessor=dict(type='PartClsDataPreprocessor',
                               num_classes=3),
        **kwargs))


def _samples(n=2, size=64):
    samples = []
    for i in range(n):
        s = DataSample().set_gt_label(i % 3)
        part_map = torch.zeros(size, size, dtype=torch.long)
        part_map[8:40, 8:40] = 1 + i
        s.set_field(part_map, 'gt_part_map', dtype=torch.Tensor)
        samples.append(s)
    return samples


def test_mpm_predict_never_runs_the_bypass():
    model = _toy_mpm().eval()

    def boom(*args, **kwargs):
        raise AssertionError('bypass ran at inference')

    model.bypass.forward = boom
    x = torch.randn(2, 3, 64, 64)
    assert model(x, mode='tensor').shape == (2, 3)
    preds = model(x, _samples(), mode='predict')
    assert 'pred_label' in preds[0] and 'pred_part_map' not in preds[0]


def test_mpm_losses_and_part_predictions():
    model = _toy_mpm(predict_parts=True)
    data = model.data_preprocessor(
        dict(inputs=[torch.randint(0, 255, (3, 64, 64), dtype=torch.uint8)
                     for _ in range(2)], data_samples=_samples()), True)
    targets = data['part_targets']
    assert targets.maps[0].shape == (2, 64, 64)
    losses = model(**data, mode='loss')
    assert set(losses) == {'loss_cls', 'loss_part'}
    assert losses['loss_part'] > 0
    with pytest.raises(ValueError, match='needs part targets'):
        model(data['inputs'], data['data_samples'], mode='loss')
    model.eval()
    preds = model(data['inputs'], data['data_samples'], mode='predict')
    assert preds[0].pred_part_map.shape == (64, 64)


def test_preprocessor_sample_weights():
    pre = PartClsDataPreprocessor(pseudo_weight=0.5, num_classes=3)
    samples = _samples(4)
    samples[1].set_metainfo(dict(part_map_is_pseudo=True))
    samples[2].set_metainfo(dict(part_map_valid=False))
    samples[3].gt_part_map.zero_()  # an all-background crop
    data = pre(dict(inputs=[torch.zeros(3, 64, 64, dtype=torch.uint8)] * 4,
                    data_samples=samples), True)
    assert data['part_targets'].sample_weights.tolist() == [1, 0.5, 0, 0]
    assert 'part_targets' not in pre(
        dict(inputs=[torch.zeros(3, 64, 64, dtype=torch.uint8)] * 4,
             data_samples=_samples(4)), False)


def test_pgd_stays_in_the_ball_and_raises_the_loss():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Flatten(), nn.Linear(3 * 8 * 8, 4))
    x = torch.rand(5, 3, 8, 8)
    y = torch.tensor([0, 1, 2, 3, 0])

    def loss_fn(images):
        return nn.functional.cross_entropy(net(images), y)

    adv = pgd_linf(loss_fn, x, eps=4 / 255, step_size=1 / 255, steps=10)
    assert (adv - x).abs().max() <= 4 / 255 + 1e-6
    assert adv.min() >= 0 and adv.max() <= 1
    assert loss_fn(adv) > loss_fn(x)


def test_adversarial_training_step_keeps_bn_statistics_during_attack():
    model = MODELS.build(dict(
        type='AdvImageClassifier',
        backbone=dict(type='ResNet', depth=18, base_channels=8,
                      stem_channels=8),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(type='LinearClsHead', num_classes=3, in_channels=64),
        adv_cfg=dict(eps=8 / 255, steps=2)))
    assert isinstance(model, AdvImageClassifier)
    assert model.adv_cfg['step_size'] == pytest.approx(8 / 255)
    model.train()
    x = torch.randn(2, 3, 32, 32)
    samples = [DataSample().set_gt_label(i) for i in range(2)]
    bn = model.backbone.bn1
    calls = []
    bn.register_forward_hook(lambda m, i, o: calls.append(m.training))
    adv = model.adversarial_inputs(x, samples)
    assert model.training and calls and not any(calls)
    pixels = model.to_pixels(x)
    assert (model.to_pixels(adv) - pixels.clamp(0, 1)).abs().max() <= \
        8 / 255 + 1e-5
    calls.clear()
    losses = model.loss(x, samples)
    assert losses['loss'] > 0 and calls[-1] is True  # final pass trains


def test_two_stage_part_classifier():
    model = MODELS.build(dict(
        type='TwoStagePartClassifier',
        backbone=dict(type='ResNet', depth=18, base_channels=8,
                      stem_channels=8),
        segmenter_head=dict(type='MultiScalePartBypass', in_channels=(64, ),
                            num_classes=6, num_scales=1),
        num_part_classes=6, hidden_channels=16,
        head=dict(type='LinearClsHead', num_classes=3, in_channels=16),
        part_loss=dict(type='SoftFocalPartLoss', target_size=(2, 2))))
    x = torch.randn(2, 3, 64, 64)
    maps = torch.zeros(2, 64, 64, dtype=torch.long)
    maps[:, 10:50, 10:50] = 3
    targets = PartTargets([maps], [torch.ones(2)], torch.ones(2))
    samples = [DataSample().set_gt_label(i) for i in range(2)]
    losses = model(x, samples, mode='loss', part_targets=targets)
    assert set(losses) == {'loss', 'loss_part'}
    model.eval()
    assert model(x, mode='tensor').shape == (2, 3)


def test_stage1_config_freezes_the_backbone():
    import os.path as osp

    from mmengine.config import Config

    from ..conftest import PROJECT_ROOT
    cfg = Config.fromfile(osp.join(
        PROJECT_ROOT, 'configs', 'mpm',
        'mpm_resnet50-gelu_8xb64-stage1-1e_in1k-pinpp.py'))
    cfg.model.backbone.pop('init_cfg')
    model = MODELS.build(cfg.model)
    model.train()
    assert not any(p.requires_grad for p in model.backbone.parameters())
    assert all(p.requires_grad for p in model.bypass.parameters())
    assert all(p.requires_grad for p in model.head.parameters())
    # norm_eval: the frozen backbone's BN statistics stay fixed.
    assert not any(m.training for m in model.backbone.modules()
                   if isinstance(m, nn.BatchNorm2d))
