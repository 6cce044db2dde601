# Copyright (c) mmpart contributors. All rights reserved.
"""DeepEMDClassifier: dense features and the meta stage's gradients on
tiny episodes."""
import pytest
import torch
import torch.nn.functional as F
from mmpretrain.structures import DataSample

from mmpart.registry import MODELS

BACKBONE = dict(type='ResNet12', channels=(4, 8, 8, 16))


def _model(num_shots=1, num_queries=2, **head):
    model = MODELS.build(
        dict(type='DeepEMDClassifier', backbone=BACKBONE, num_ways=3,
             num_shots=num_shots, num_queries=num_queries,
             head=dict(type='DeepEMDHead', **head)))
    model.init_weights()
    return model.eval()


def _episode_samples(ways=3, shots=1, queries=2, classes=(7, 2, 5)):
    """Data samples in the EpisodicBatchSampler layout."""
    labels = [c for c in classes for _ in range(shots)] + [
        c for c in classes for _ in range(queries)
    ]
    return [DataSample().set_gt_label(label) for label in labels]


def test_features_are_dense_and_predict_keeps_them():
    torch.manual_seed(0)
    model = _model()
    inputs = torch.randn(2, 3, 32, 32)
    # 32 px through four halvings: 2 x 2 nodes of 16 channels.
    feats = model(inputs)
    assert feats.shape == (2, 16, 2, 2)
    samples = model(inputs, mode='predict')
    torch.testing.assert_close(
        torch.stack([s.embedding for s in samples]), feats)


def test_episode_loss_is_the_cross_entropy_of_the_head_logits():
    torch.manual_seed(0)
    model = _model()
    inputs = torch.randn(9, 3, 32, 32)
    losses = model(inputs, _episode_samples(), mode='loss')
    feats = model.extract_feat(inputs)
    logits = model.head.episode_logits(feats[:3, None], feats[3:])
    expected = F.cross_entropy(logits, torch.arange(3).repeat_interleave(2))
    torch.testing.assert_close(losses['loss'], expected)


@pytest.mark.parametrize('train_solver', ['sinkhorn', 'opencv'])
def test_meta_stage_loss_trains_the_backbone(train_solver):
    torch.manual_seed(0)
    model = _model(train_solver=train_solver, sinkhorn_iters=50).train()
    losses = model.loss(torch.randn(9, 3, 32, 32), _episode_samples())
    assert set(losses) == {'loss', 'accuracy'}
    losses['loss'].backward()
    grads = [p.grad for p in model.backbone.parameters()]
    assert all(g is not None and torch.isfinite(g).all() for g in grads)
    assert sum(g.abs().sum() for g in grads) > 0


def test_k_shot_meta_stage_trains_through_the_queries():
    """With K shots the SFC is fitted on detached supports (as the official
    code does), and the loss reaches the backbone through the queries."""
    torch.manual_seed(0)
    model = _model(num_shots=2, num_queries=1, sfc_steps=1,
                   sinkhorn_iters=20).train()
    losses = model.loss(
        torch.randn(9, 3, 32, 32), _episode_samples(shots=2, queries=1))
    losses['loss'].backward()
    assert model.backbone.stages[0].body[0].weight.grad.abs().sum() > 0


def test_meta_stage_refuses_a_batch_out_of_episode_order():
    model = _model()
    samples = _episode_samples()
    samples[3], samples[5] = samples[5], samples[3]
    with pytest.raises(ValueError, match='EpisodicBatchSampler'):
        model.loss(torch.randn(9, 3, 32, 32), samples)
