# Copyright (c) mmpart contributors. All rights reserved.
"""PrototypeClassifier: MetaBaseline's episodes, embeddings, part-aware
features and classifier checkpoints."""
import pytest
import torch
import torch.nn.functional as F
from mmpretrain.structures import DataSample

from mmpart.registry import MODELS

BACKBONE = dict(type='ResNet12', channels=(4, 8, 8, 16))


def _model(**kwargs):
    model = MODELS.build(
        dict(type='PrototypeClassifier', backbone=BACKBONE, num_ways=3,
             num_shots=2, num_queries=1, **kwargs))
    model.init_weights()
    return model.eval()


def _episode_samples(ways=3, shots=2, queries=1, classes=(7, 2, 5)):
    """Data samples in the EpisodicBatchSampler layout."""
    labels = [c for c in classes for _ in range(shots)] + [
        c for c in classes for _ in range(queries)
    ]
    return [DataSample().set_gt_label(label) for label in labels]


def test_episode_loss_is_prototype_cosine_cross_entropy():
    torch.manual_seed(0)
    model = _model()
    inputs = torch.randn(9, 3, 32, 32)
    losses = model.loss(inputs, _episode_samples())
    feats = model.extract_feat(inputs)
    prototypes = feats[:6].view(3, 2, -1).mean(1)
    logits = 10 * F.normalize(feats[6:], dim=-1) @ F.normalize(
        prototypes, dim=-1).t()
    expected = F.cross_entropy(logits, torch.arange(3))
    assert torch.allclose(losses['loss'], expected, atol=1e-5)
    assert losses['temperature'] == 10
    losses['loss'].backward()
    assert model.temperature.grad is not None


def test_episode_layout_is_checked():
    model = _model()
    with pytest.raises(ValueError, match='one 3-way 2-shot episode'):
        model.loss(torch.randn(8, 3, 32, 32), _episode_samples()[:8])
    shuffled = _episode_samples()
    shuffled[0], shuffled[2] = shuffled[2], shuffled[0]
    with pytest.raises(ValueError, match='EpisodicBatchSampler'):
        model.loss(torch.randn(9, 3, 32, 32), shuffled)


def test_predict_gives_embeddings():
    model = _model()
    inputs = torch.randn(4, 3, 32, 32)
    samples = model.predict(inputs)
    assert len(samples) == 4
    assert torch.allclose(
        torch.stack([s.embedding for s in samples]),
        model.extract_feat(inputs))
    assert samples[0].embedding.shape == (16, )


def test_part_aware_mixes_image_and_crop_features():
    torch.manual_seed(0)
    model = _model(part_aware=True)
    full, crop = torch.randn(2, 3, 32, 32), torch.randn(2, 3, 32, 32)
    inputs = torch.cat([full, crop], dim=1)
    with torch.no_grad():
        # p starts at 0: the crop alone.
        assert torch.allclose(model.extract_feat(inputs),
                              model._embed(crop), atol=1e-6)
        model.full_image_weight.fill_(0.25)
        assert torch.allclose(
            model.extract_feat(inputs),
            0.25 * model._embed(full) + 0.75 * model._embed(crop),
            atol=1e-6)
    assert model.full_image_weight.requires_grad
    with pytest.raises(ValueError, match='6-channel'):
        model.extract_feat(full)


def test_classifier_checkpoint_loads():
    """A pre-trained classifier's (or MPM's) backbone loads as it is."""
    classifier = MODELS.build(
        dict(type='ImageClassifier', backbone=BACKBONE,
             neck=dict(type='GlobalAveragePooling'),
             head=dict(type='LinearClsHead', num_classes=4,
                       in_channels=16)))
    model = _model()
    missing, unexpected = model.load_state_dict(
        classifier.state_dict(), strict=False)
    assert missing == ['temperature']
    assert all(key.startswith('head.') for key in unexpected)
    inputs = torch.randn(2, 3, 32, 32)
    classifier.eval()
    assert torch.allclose(model.extract_feat(inputs),
                          classifier.extract_feat(inputs)[-1])
