# Copyright (c) mmpart contributors. All rights reserved.
"""PartEncoderDecoder: stock mmseg predictions without the full tensor, and
losses at the logits' resolution."""
import copy

import pytest
import torch
from mmengine.config import ConfigDict
from mmengine.registry import DefaultScope
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from mmpart.registry import MODELS

NUM_CLASSES = 37


def _model_cfg(part: bool, **test_cfg) -> dict:
    loss = dict(type='mmpart.PixelSoftTargetLoss') if part else dict(
        type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0)
    return dict(
        _scope_='mmseg',
        type='mmpart.PartEncoderDecoder' if part else 'EncoderDecoder',
        data_preprocessor=None,
        backbone=dict(
            type='ResNetV1c', depth=18, stem_channels=8, base_channels=8,
            out_indices=(2, 3), strides=(1, 2, 2, 2)),
        decode_head=dict(
            type='FCNHead', in_channels=64, in_index=1, channels=16,
            num_convs=1, num_classes=NUM_CLASSES, ignore_index=65535,
            loss_decode=loss),
        auxiliary_head=dict(
            type='FCNHead', in_channels=32, in_index=0, channels=8,
            num_convs=1, num_classes=NUM_CLASSES, ignore_index=65535,
            loss_decode=dict(loss, loss_weight=0.4)),
        test_cfg=dict(mode='whole', **test_cfg))


def _pair(**test_cfg):
    """A PartEncoderDecoder and a stock EncoderDecoder with its weights."""
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmpart'):
        ours = MODELS.build(_model_cfg(True, class_chunk=5, **test_cfg))
        stock = MODELS.build(_model_cfg(False, **test_cfg))
    stock.load_state_dict(ours.state_dict())
    # Random BN statistics, so the logits are far from uniform.
    for module in ours.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.running_mean.uniform_(-0.5, 0.5)
            module.running_var.uniform_(0.5, 2)
    stock.load_state_dict(ours.state_dict())
    # As a config file gives it (mmseg reads test_cfg.mode).
    ours.test_cfg = ConfigDict(ours.test_cfg)
    stock.test_cfg = ConfigDict(stock.test_cfg)
    return ours.eval(), stock.eval()


def _samples(inputs, flip=True):
    samples = []
    for i in range(inputs.shape[0]):
        sample = SegDataSample()
        sample.set_metainfo(
            dict(ori_shape=(45 + 7 * i, 61), img_shape=(60, 70),
                 pad_shape=tuple(inputs.shape[2:]),
                 padding_size=[0, inputs.shape[3] - 70, 0,
                               inputs.shape[2] - 60],
                 flip=flip and i == 0, flip_direction='horizontal',
                 part_id_range=(3 + 4 * i, 9 + 4 * i)))
        samples.append(sample)
    return samples


@pytest.mark.parametrize('mode', [
    dict(mode='whole'),
    dict(mode='slide', crop_size=(40, 40), stride=(27, 27)),
])
def test_prediction_equals_stock(mode):
    ours, stock = _pair(**{k: v for k, v in mode.items() if k != 'mode'})
    ours.test_cfg.mode = stock.test_cfg.mode = mode['mode']
    inputs = torch.randn(2, 3, 64, 80, generator=torch.Generator()
                         .manual_seed(1))
    with torch.no_grad():
        expected = stock.predict(inputs, _samples(inputs))
        got = ours.predict(inputs, _samples(inputs))
        bare_expected = stock.predict(inputs)
        bare_got = ours.predict(inputs)
    for exp, res in zip(expected + bare_expected, got + bare_got):
        stock_map = exp.pred_sem_seg.data
        assert res.pred_sem_seg.data.shape == stock_map.shape
        assert torch.equal(res.pred_sem_seg.data, stock_map)
        assert 'seg_logits' not in res
    # Winners from several chunks of 5 classes: the merge is exercised.
    winners = expected[0].pred_sem_seg.data.unique().tolist()
    assert len({label // 5 for label in winners}) >= 3
    for exp, res in zip(expected, got):
        start, stop = res.metainfo['part_id_range']
        aware = res.pred_class_aware_sem_seg.data
        logits = exp.seg_logits.data
        allowed = [0] + list(range(start, stop))
        assert torch.equal(
            aware, torch.tensor(allowed)[logits[allowed].argmax(0)][None])
        assert set(aware.unique().tolist()) <= set(allowed)


def _train_samples(batch=2, size=(64, 80)):
    g = torch.Generator().manual_seed(2)
    samples = []
    for _ in range(batch):
        coarse = torch.randint(0, NUM_CLASSES, (size[0] // 8, size[1] // 8),
                               generator=g)
        label = coarse.repeat_interleave(8, 0).repeat_interleave(8, 1)
        label[:5] = 65535
        sample = SegDataSample(gt_sem_seg=PixelData(data=label[None]))
        sample.set_metainfo(dict(img_shape=size, pad_shape=size))
        samples.append(sample)
    return samples


def test_losses_at_logits_resolution():
    ours, _ = _pair()
    ours.train()
    inputs = torch.randn(2, 3, 64, 80)
    losses = ours.loss(inputs, _train_samples())
    assert set(losses) == {
        'decode.loss_ce', 'decode.acc_seg', 'aux.loss_ce', 'aux.acc_seg'
    }
    assert losses['decode.loss_ce'] > 0 and losses['aux.loss_ce'] > 0
    sum(v for k, v in losses.items() if 'loss' in k).backward()
    assert ours.decode_head.conv_seg.weight.grad.abs().sum() > 0
    assert ours.auxiliary_head.conv_seg.weight.grad.abs().sum() > 0


def test_stock_losses_are_refused():
    cfg = _model_cfg(True)
    cfg['auxiliary_head'] = copy.deepcopy(_model_cfg(False)['auxiliary_head'])
    with DefaultScope.overwrite_default_scope('mmpart'):
        with pytest.raises(TypeError, match='PixelSoftTargetLoss'):
            MODELS.build(cfg)
