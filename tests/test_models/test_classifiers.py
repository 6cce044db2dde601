# Copyright (c) mmpart contributors. All rights reserved.
import os.path as osp

import pytest
import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmpretrain.structures import DataSample

from mmpart.models import AdvImageClassifier, PartMapConvNeck
from mmpart.registry import MODELS
from mmpart.structures import PartTargets
from ..conftest import PROJECT_ROOT, make_part_samples


@pytest.fixture(autouse=True)
def scope():
    init_default_scope('mmpart')


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


def test_mpm_predict_never_runs_the_bypass():
    model = _toy_mpm().eval()

    def boom(*args, **kwargs):
        raise AssertionError('bypass ran at inference')

    model.bypass.forward = boom
    x = torch.randn(2, 3, 64, 64)
    assert model(x, mode='tensor').shape == (2, 3)
    preds = model(x, make_part_samples(2), mode='predict')
    assert 'pred_label' in preds[0] and 'pred_part_map' not in preds[0]


def test_mpm_losses_and_part_predictions():
    model = _toy_mpm(predict_parts=True)
    data = model.data_preprocessor(
        dict(inputs=[torch.randint(0, 255, (3, 64, 64), dtype=torch.uint8)
                     for _ in range(2)],
             data_samples=make_part_samples(2)), True)
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


def test_part_classifiers_check_part_ids_in_their_preprocessor():
    """MPM and the two-stage model give their part class count to
    ``PartClsDataPreprocessor``, which refuses an out-of-range part id
    before any batch mix, naming the map's file; a count set in the
    preprocessor's config must agree."""
    pre = dict(type='PartClsDataPreprocessor', num_classes=3)
    for model in (_toy_mpm(), _two_stage(data_preprocessor=pre)):
        assert model.data_preprocessor.num_part_classes == 6
        samples = make_part_samples(2)
        samples[1].gt_part_map[0, 0] = 6
        samples[1].set_metainfo(dict(seg_map_path='parts/b.png'))
        with pytest.raises(ValueError, match=r'parts/b\.png holds part id 6'):
            model.data_preprocessor(
                dict(inputs=[torch.zeros(3, 64, 64, dtype=torch.uint8)] * 2,
                     data_samples=samples), True)
    with pytest.raises(ValueError, match='num_part_classes=5'):
        _two_stage(data_preprocessor=dict(pre, num_part_classes=5))


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


@pytest.mark.parametrize('use_best', [False, True])
def test_adversarial_inputs_pass_use_best_to_pgd(use_best):
    model = MODELS.build(dict(
        type='AdvImageClassifier',
        backbone=dict(type='ResNet', depth=18, base_channels=8,
                      stem_channels=8),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(type='LinearClsHead', num_classes=3, in_channels=64),
        adv_cfg=dict(eps=8 / 255, steps=2, use_best=use_best)))
    assert AdvImageClassifier(
        backbone=dict(type='ResNet', depth=18),
        adv_cfg=dict()).adv_cfg['use_best'] is False
    model.train()
    calls = []
    model.backbone.bn1.register_forward_hook(
        lambda m, i, o: calls.append(m.training))
    model.adversarial_inputs(
        torch.randn(2, 3, 32, 32),
        [DataSample().set_gt_label(i) for i in range(2)])
    # One forward a step, and with use_best one more for the last iterate,
    # all in eval mode.
    assert calls == [False] * (3 if use_best else 2)


def _two_stage(**kwargs):
    cfg = dict(
        type='TwoStagePartClassifier',
        backbone=dict(type='ResNet', depth=18, base_channels=8,
                      stem_channels=8),
        segmenter_head=dict(type='MultiScalePartBypass', in_channels=(64, ),
                            num_classes=6, num_scales=1),
        neck=dict(type='PartMapConvNeck', in_channels=6, channels=16),
        head=dict(type='LinearClsHead', num_classes=3, in_channels=16),
        part_loss=dict(type='SoftFocalPartLoss', target_size=(2, 2)))
    cfg.update(kwargs)
    return MODELS.build(cfg)


def _part_batch():
    x = torch.randn(2, 3, 64, 64)
    maps = torch.zeros(2, 64, 64, dtype=torch.long)
    maps[:, 10:50, 10:50] = 3
    targets = PartTargets([maps], [torch.ones(2)], torch.ones(2))
    samples = [DataSample().set_gt_label(i) for i in range(2)]
    return x, samples, targets


def test_two_stage_part_classifier():
    model = _two_stage()
    assert isinstance(model.neck, PartMapConvNeck)
    x, samples, targets = _part_batch()
    losses = model(x, samples, mode='loss', part_targets=targets)
    assert set(losses) == {'loss_cls', 'loss_part'}
    # mmengine logs the total as 'loss'; no head loss hides it any more.
    _, log_vars = model.parse_losses(losses)
    assert log_vars['loss'].item() == pytest.approx(
        (losses['loss_cls'] + losses['loss_part']).item())
    assert set(model(x, samples, mode='loss')) == {'loss_cls'}
    model.eval()
    assert model(x, mode='tensor').shape == (2, 3)
    feats = model.extract_feat(x)
    assert isinstance(feats, tuple) and feats[0].shape == (2, 16)
    assert torch.equal(model.extract_feat(x, stage='pre_logits'), feats[0])
    with pytest.raises(ValueError, match='"neck" or "pre_logits"'):
        model.extract_feat(x, stage='backbone')


def test_two_stage_part_map_feeds_the_neck():
    model = _two_stage(part_map_size=5).eval()
    seen = []
    model.neck.register_forward_hook(lambda m, i, o: seen.append(i[0]))
    x, _, _ = _part_batch()
    with torch.no_grad():
        model(x, mode='tensor')
    assert seen[0].shape == (2, 6, 5, 5)
    assert torch.allclose(seen[0].sum(1), torch.ones(2, 5, 5), atol=1e-5)


def test_two_stage_frozen_segmenter_and_missing_neck():
    model = _two_stage(freeze_segmenter=True).train()
    assert not model.backbone.training and model.neck.training
    assert not any(p.requires_grad for p in model.segmenter_head.parameters())
    x, samples, targets = _part_batch()
    losses = model(x, samples, mode='loss', part_targets=targets)
    assert set(losses) == {'loss_cls'}
    with pytest.raises(ValueError, match='needs a neck'):
        _two_stage(neck=None)


def _config_model(name):
    """The model of ``configs/mpm/<name>``, without pretrained weights."""
    cfg = Config.fromfile(osp.join(PROJECT_ROOT, 'configs', 'mpm', name))
    cfg.model.backbone.pop('init_cfg')
    return MODELS.build(cfg.model)


def test_stage1_config_freezes_the_backbone():
    model = _config_model('mpm_resnet50-gelu_8xb64-stage1-1e_in1k-pinpp.py')
    model.train()
    assert not any(p.requires_grad for p in model.backbone.parameters())
    assert all(p.requires_grad for p in model.bypass.parameters())
    assert all(p.requires_grad for p in model.head.parameters())
    # frozen_norm_eval=False: the frozen backbone's BN layers keep
    # training (their statistics adapt to GELU), as the official stage 1.
    assert all(m.training for m in model.backbone.modules()
               if isinstance(m, nn.BatchNorm2d))


def test_two_stage_config_builds():
    model = _config_model(
        'two-stage-part_resnet50-gelu_8xb64-at-80e_in1k-pinpp.py')
    assert isinstance(model.neck, PartMapConvNeck)
    assert model.neck.convs[0].in_channels == 3311
    assert model.neck.convs[1].out_channels == 256
    assert model.segmenter_head.heads[0].pointwise_conv.out_channels == 3311
    model.eval()
    with torch.no_grad():
        assert model(torch.randn(1, 3, 64, 64), mode='tensor').shape == \
            (1, 1000)
