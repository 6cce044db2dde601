# Copyright (c) mmpart contributors. All rights reserved.
"""PartAwareDualEncoder: the official part-aware mixing, its parameters and
its use in pre-training (ImageClassifier) and the meta stage
(PrototypeClassifier)."""
import pytest
import torch
from mmpretrain.structures import DataSample

from mmpart.registry import MODELS

# ResNet-12 at 16 px ends at 1 x 1; the crop CNN at 16 px flattens 8 x 4 x 4.
SMALL = dict(
    type='PartAwareDualEncoder',
    image_encoder=dict(type='ResNet12', channels=(4, 8, 8, 16)),
    crop_encoder=dict(
        type='ConvMLPEncoder', channels=(4, 8), input_size=16,
        mlp_channels=(8, 16)))


def _encoder(**kwargs):
    encoder = MODELS.build(dict(SMALL, **kwargs))
    encoder.init_weights()
    encoder.eval()
    return encoder


def _parts(encoder, image, crop):
    """f(image), averaged over space, and g(crop)."""
    f = encoder.image_encoder(image)[-1].mean((2, 3))
    g = encoder.crop_encoder(crop)[-1]
    return f, g


def test_feature_mixes_image_and_crop_encoders():
    torch.manual_seed(0)
    encoder = _encoder()
    image, crop = torch.randn(3, 3, 16, 16), torch.randn(3, 3, 16, 16)
    inputs = torch.cat([image, crop], dim=1)
    with torch.no_grad():
        f, g = _parts(encoder, image, crop)
        # p starts at 0, the official start: the crop encoder's feature.
        assert encoder.image_weight.item() == 0
        out = encoder(inputs)
        assert len(out) == 1 and out[0].shape == (3, 16)
        assert torch.equal(out[0], g)
        # Any p, not clamped to [0, 1] (nor squashed), as in the official.
        for p in (0.25, 1.0, 1.5):
            encoder.image_weight.fill_(p)
            assert torch.allclose(encoder(inputs)[0], p * f + (1 - p) * g,
                                  atol=1e-6)


def test_gradient_reaches_image_weight():
    torch.manual_seed(0)
    encoder = _encoder(image_weight=0.5)
    image, crop = torch.randn(2, 3, 16, 16), torch.randn(2, 3, 16, 16)
    encoder(torch.cat([image, crop], dim=1))[0].sum().backward()
    with torch.no_grad():
        f, g = _parts(encoder, image, crop)
    # d/dp sum(p f + (1 - p) g) = sum(f - g).
    assert torch.allclose(encoder.image_weight.grad, (f - g).sum(),
                          atol=1e-5)
    assert all(p.grad is not None for p in encoder.parameters())
    assert not _encoder(
        learn_image_weight=False).image_weight.requires_grad


def test_inputs_and_feature_sizes_are_checked():
    with pytest.raises(ValueError, match='6-channel'):
        _encoder()(torch.randn(2, 3, 16, 16))
    mismatched = _encoder(
        crop_encoder=dict(
            type='ConvMLPEncoder', channels=(4, 8), input_size=16,
            mlp_channels=(8, 12)))
    with pytest.raises(ValueError, match='must match'):
        mismatched(torch.randn(2, 6, 16, 16))


def test_defaults_are_the_official_model():
    """ResNet-12 (64-128-256-512) + the crop CNN + p: the official encoder's
    parameter count (its ResNet12 with the part encoder, see
    test_backbones.py for the two counts), 512-d features at 80 px."""
    encoder = MODELS.build(dict(type='PartAwareDualEncoder'))
    assert sum(p.numel() for p in encoder.parameters()) == (7_996_800 +
                                                            13_565_760 + 1)
    encoder.eval()
    with torch.no_grad():
        assert encoder(torch.randn(2, 6, 80, 80))[0].shape == (2, 512)


def _episode_samples(ways=2, shots=1, queries=1):
    labels = [c for c in range(ways) for _ in range(shots)] + [
        c for c in range(ways) for _ in range(queries)
    ]
    return [DataSample().set_gt_label(label) for label in labels]


def test_pre_training_then_meta_stage():
    """Pre-train as mmpretrain's ImageClassifier, load its backbone (p
    included, head left out) into PrototypeClassifier, train an episode."""
    torch.manual_seed(0)
    classifier = MODELS.build(
        dict(type='ImageClassifier', backbone=SMALL, neck=None,
             head=dict(type='LinearClsHead', num_classes=4,
                       in_channels=16)))
    classifier.init_weights()
    inputs = torch.randn(4, 6, 16, 16)
    samples = [DataSample().set_gt_label(i) for i in range(4)]
    losses = classifier.loss(inputs, samples)
    losses['loss'].backward()
    assert classifier.backbone.image_weight.grad is not None
    with torch.no_grad():
        classifier.backbone.image_weight.fill_(0.3)

    model = MODELS.build(
        dict(type='PrototypeClassifier', backbone=SMALL, neck=None,
             num_ways=2, num_shots=1, num_queries=1))
    missing, unexpected = model.load_state_dict(
        classifier.state_dict(), strict=False)
    assert missing == ['temperature']
    assert unexpected and all(key.startswith('head.') for key in unexpected)
    assert model.backbone.image_weight.item() == pytest.approx(0.3)
    classifier.eval()
    model.eval()
    with torch.no_grad():
        assert torch.allclose(model.extract_feat(inputs),
                              classifier.extract_feat(inputs)[-1])
    model.train()
    model.loss(inputs, _episode_samples())['loss'].backward()
    assert model.backbone.image_weight.grad is not None
