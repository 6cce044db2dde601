# Copyright (c) mmpart contributors. All rights reserved.
"""DeepEMDClassifier: logits, the SFC's updates and the meta stage's
gradients on tiny episodes."""
import pytest
import torch
import torch.nn.functional as F
from mmpretrain.structures import DataSample

from mmpart.models.utils import (centred_cosine_similarity,
                                 cross_reference_weights, emd_flow_opencv,
                                 normalise_node_weights)
from mmpart.registry import MODELS

BACKBONE = dict(type='ResNet12', channels=(4, 8, 8, 16))


def _model(**kwargs):
    cfg = dict(type='DeepEMDClassifier', backbone=BACKBONE, num_ways=3,
               num_shots=1, num_queries=2)
    cfg.update(kwargs)
    model = MODELS.build(cfg)
    model.init_weights()
    return model.eval()


def _episode_samples(ways=3, shots=1, queries=2, classes=(7, 2, 5)):
    """Data samples in the EpisodicBatchSampler layout."""
    labels = [c for c in classes for _ in range(shots)] + [
        c for c in classes for _ in range(queries)
    ]
    return [DataSample().set_gt_label(label) for label in labels]


def test_logits_shape_and_scale_on_a_tiny_episode():
    torch.manual_seed(0)
    model = _model()
    feats = model.extract_feat(torch.randn(9, 3, 32, 32))
    # 32 px through four halvings: 2 x 2 nodes of 16 channels.
    assert feats.shape == (9, 16, 2, 2)
    logits = model.episode_logits(feats[:3, None], feats[3:])
    assert logits.shape == (6, 3)
    # The flows carry one unit per node, the similarities are in [-1, 1].
    assert logits.abs().max() <= 12.5 + 1e-4
    # A query that is its own prototype moves all its mass at zero cost.
    own = model.emd_logits(feats[:3], feats[:3])
    torch.testing.assert_close(own.diagonal(), torch.full((3, ), 12.5))
    assert (own.argmax(1) == torch.arange(3)).all()


def test_logits_are_the_flow_weighted_similarity():
    torch.manual_seed(0)
    model = _model()
    query, proto = torch.randn(2, 5, 2, 2), torch.randn(3, 5, 2, 2)
    logits = model.emd_logits(query, proto)
    similarity = centred_cosine_similarity(query, proto)[1, 2]
    flow = emd_flow_opencv(
        (1 - similarity)[None],
        normalise_node_weights(cross_reference_weights(query, proto)[1, 2:3]),
        normalise_node_weights(cross_reference_weights(proto, query)[2,
                                                                     1:2]))
    expected = (flow[0] * similarity).sum() * 12.5 / 4
    torch.testing.assert_close(logits[1, 2], expected)


def test_sfc_first_updates_by_hand():
    """Two SGD steps on all supports at once: the first moves by -lr * g,
    the second by -lr * (0.9 g0 + 0.1 g1) (momentum 0.9, dampening 0.9)."""
    torch.manual_seed(0)
    model = _model(sfc_steps=2, sfc_batch_size=6, sfc_lr=0.1)
    support = torch.randn(3, 2, 5, 2, 2)
    supports = support.flatten(0, 1)
    labels = torch.arange(3).repeat_interleave(2)

    def gradient(proto):
        proto = proto.clone().requires_grad_()
        F.cross_entropy(model.emd_logits(supports, proto),
                        labels).backward()
        return proto.grad

    start = support.mean(1)
    g0 = gradient(start)
    first = start - 0.1 * g0
    second = first - 0.1 * (0.9 * g0 + 0.1 * gradient(first))
    sfc = model.fit_sfc(support)
    torch.testing.assert_close(sfc, second)
    assert not sfc.requires_grad


def test_sfc_separates_the_supports():
    """The fitted prototypes classify their own supports better than the
    mean supports do (the official settings but 10 passes)."""
    torch.manual_seed(0)
    model = _model(sfc_steps=10)
    support = torch.randn(3, 3, 8, 2, 2)
    labels = torch.arange(3).repeat_interleave(3)
    supports = support.flatten(0, 1)
    before = F.cross_entropy(model.emd_logits(supports, support.mean(1)),
                             labels)
    after = F.cross_entropy(model.emd_logits(supports,
                                             model.fit_sfc(support)), labels)
    assert after < before


@pytest.mark.parametrize('train_solver', ['sinkhorn', 'opencv'])
def test_meta_stage_loss_trains_the_backbone(train_solver):
    torch.manual_seed(0)
    model = _model(train_solver=train_solver, sinkhorn_iters=50).train()
    losses = model.loss(torch.randn(9, 3, 32, 32), _episode_samples())
    assert set(losses) == {'loss', 'accuracy'}
    assert torch.isfinite(losses['loss'])
    losses['loss'].backward()
    grads = [p.grad for p in model.backbone.parameters()]
    assert all(g is not None and torch.isfinite(g).all() for g in grads)
    assert sum(g.abs().sum() for g in grads) > 0
    assert model.temperature.grad is None


def test_five_shot_meta_stage_trains_through_the_queries():
    """With K shots the SFC is fitted on detached supports (as the official
    code does), and the loss reaches the backbone through the queries."""
    torch.manual_seed(0)
    model = _model(num_shots=2, num_queries=1, sfc_steps=1,
                   sinkhorn_iters=20).train()
    losses = model.loss(
        torch.randn(9, 3, 32, 32),
        _episode_samples(shots=2, queries=1))
    losses['loss'].backward()
    assert model.backbone.stages[0].body[0].weight.grad.abs().sum() > 0


def test_meta_stage_refuses_a_batch_out_of_episode_order():
    model = _model()
    samples = _episode_samples()
    samples[3], samples[5] = samples[5], samples[3]
    with pytest.raises(ValueError, match='EpisodicBatchSampler'):
        model.loss(torch.randn(9, 3, 32, 32), samples)


def test_unknown_solver_is_refused():
    with pytest.raises(ValueError, match='train_solver'):
        _model(train_solver='qpth')


def test_predict_keeps_dense_features():
    torch.manual_seed(0)
    model = _model()
    inputs = torch.randn(2, 3, 32, 32)
    samples = model.predict(inputs)
    torch.testing.assert_close(
        torch.stack([s.embedding for s in samples]),
        model.extract_feat(inputs))
    assert samples[0].embedding.shape == (16, 2, 2)
