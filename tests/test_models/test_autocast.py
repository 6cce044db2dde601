# Copyright (c) mmpart contributors. All rights reserved.
"""Mixed precision at the real shapes: MPM (ResNet-50-GELU, 1000 classes,
3311 part classes, 224 px) and the part segmenter's loss (3311 classes, a
512 px crop).

Each case runs one training forward and backward in float32 and the same
batch under ``torch.autocast('cpu', dtype=torch.bfloat16)`` (what mmengine's
AMP runs on a CPU), and checks every loss term within ``RTOL`` of float32
and every gradient finite. The fused part loss is also checked under fp16
with ``GradScaler``'s loss scales (mmengine's AMP on a GPU), and
``AmpOptimWrapper`` on a CPU-only machine. On a CPU without native bfloat16
kernels (AVX2 only) a bfloat16 convolution or matmul runs PyTorch's
fallback at about 0.6 GFLOP/s, 50 times slower than float32: the ResNet-50
cases take tens of seconds each and are marked slow.
"""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.optim import AmpOptimWrapper
from mmengine.optim.optimizer import amp_optimizer_wrapper
from mmpretrain.structures import DataSample

import mmpart.models.classifiers.adv_image_classifier as adv_module
from mmpart.datasets.layout import MAP_IGNORE_INDEX
from mmpart.models.attacks import pgd_linf
from mmpart.models.losses import SoftFocalPartLoss
from mmpart.registry import MODELS
from mmpart.structures import LazyPixelLogits, PartTargets
from ..conftest import PROJECT_ROOT, make_part_samples

RTOL = 1e-2
PART_CLASSES = 3311
MPM_CONFIG = 'mpm_resnet50-gelu_8xb64-100e_in1k-pinpp.py'
MPM_AT_CONFIG = 'mpm_resnet50-gelu_8xb64-stage2-at-80e_in1k-pinpp.py'
SEG_CONFIG = 'upernet_r50_8xb2-160k_pinpp-parts-512x512.py'


def _part_maps(batch: int, size: int, seed: int) -> torch.Tensor:
    """``(batch, size, size)`` int64 part maps shaped like PIN++ ones:
    background, an object of blocks of a few part ids, and a band of
    ignored pixels (as pseudo maps mark low-confidence ones)."""
    g = torch.Generator().manual_seed(seed)
    maps = torch.zeros(batch, size, size, dtype=torch.long)
    cell = size // 8
    for b in range(batch):
        parts = torch.randint(1, PART_CLASSES, (4, ), generator=g)
        blocks = parts[torch.randint(0, 4, (4, 4), generator=g)]
        maps[b, 2 * cell:6 * cell, 2 * cell:6 * cell] = \
            blocks.repeat_interleave(cell, 0).repeat_interleave(cell, 1)
    maps[:, :, -(cell // 2):] = MAP_IGNORE_INDEX
    return maps


def _assert_close(fp32: dict, bf16: dict) -> None:
    """Every loss term within ``RTOL`` relative of float32."""
    assert fp32.keys() == bf16.keys()
    for key, value in fp32.items():
        assert abs(bf16[key] - value) <= RTOL * abs(value), \
            (key, value, bf16[key])


def _assert_finite(tensors) -> None:
    """Every given gradient exists and is finite."""
    for tensor in tensors:
        assert tensor is not None and torch.isfinite(tensor).all()


def _backward(losses: dict) -> dict:
    """Backpropagate the sum of ``losses``; return their float values."""
    sum(losses.values()).backward()
    return {key: value.item() for key, value in losses.items()}


def _fused_part_loss_case(lazy: bool, dtype: torch.dtype = None):
    """MPM's part loss on the bypass's real shapes (batch 2): the three
    scales (7, 14, 28 px) of 3311 part classes, fused with the heads' last
    1x1 convs (``lazy``, as MPM runs it) or on logits.

    Returns:
        tuple: The leaves (float32), a function of them and of the autocast
        dtype (None: float32) that gives the loss, and the part targets.
    """
    g = torch.Generator().manual_seed(0)
    targets = PartTargets([_part_maps(2, 224, 0)], [torch.ones(2)],
                          torch.ones(2))
    if lazy:
        # The compact widths of ResNet-50 stages 4, 3, 2 (ratio 4).
        leaves = [
            t for width, size in ((512, 7), (256, 14), (128, 28))
            for t in (torch.randn(2, width, size, size, generator=g),
                      torch.randn(PART_CLASSES, width, generator=g) /
                      width**0.5)
        ]
    else:
        leaves = [
            2 * torch.randn(2, PART_CLASSES, size, size, generator=g)
            for size in (7, 14, 28)
        ]
    for leaf in leaves:
        leaf.requires_grad_(True)

    def part_logits(dtype):
        # Under autocast the convs before the loss give low-precision
        # features (lazy; the classifier weights stay float32) or logits.
        def cast(leaf):
            return leaf.to(dtype) if dtype else leaf

        if lazy:
            return [
                LazyPixelLogits(cast(leaves[i]), leaves[i + 1])
                for i in (0, 2, 4)
            ]
        return [cast(leaf) for leaf in leaves]

    return leaves, part_logits, targets


# The fused (lazy) cases run bfloat16 matmuls of 3311 classes: seconds.
LAZY_OR_LOGITS = [pytest.param(True, marks=pytest.mark.slow), False]


@pytest.mark.parametrize('lazy', LAZY_OR_LOGITS)
def test_fused_part_loss_under_bf16(lazy):
    leaves, part_logits, targets = _fused_part_loss_case(lazy)
    loss_fn = SoftFocalPartLoss()
    values, grads = [], []
    for dtype in (None, torch.bfloat16):
        with torch.autocast('cpu', torch.bfloat16, enabled=bool(dtype)):
            loss = loss_fn(part_logits(dtype), targets)
        values.append(_backward(dict(loss_part=loss)))
        grads.append([leaf.grad for leaf in leaves])
        _assert_finite(grads[-1])
        for leaf in leaves:
            leaf.grad = None
    _assert_close(*values)
    for fp32, bf16 in zip(*grads):
        assert (bf16 - fp32).norm() <= RTOL * fp32.norm()


@pytest.mark.parametrize('lazy', LAZY_OR_LOGITS)
def test_fused_part_loss_gradients_survive_the_fp16_loss_scale(lazy):
    """fp16 AMP (mmengine's default on a GPU) scales the loss by
    ``GradScaler``'s scale (``2**16`` at first) before the backward. The
    kernel computes its gradients in the forward; they must neither
    overflow when that scale reaches them (``2**16`` is inf in fp16) nor
    underflow before it does (about ``1e-9`` per logit at 64 images a GPU,
    the coefficients ``avg_factor=64`` gives here)."""
    leaves, part_logits, targets = _fused_part_loss_case(lazy)
    loss_fn = SoftFocalPartLoss()
    grads = []
    for dtype, loss_scale in ((None, 1.0), (torch.float16, 2.0**16),
                              (torch.float16, 2.0**10)):
        with torch.autocast('cpu', torch.float16, enabled=bool(dtype)):
            loss = loss_fn(part_logits(dtype), targets, avg_factor=64)
        (loss * loss_scale).backward()
        grads.append([leaf.grad / loss_scale for leaf in leaves])
        for leaf in leaves:
            leaf.grad = None
    for fp16_grads in grads[1:]:
        _assert_finite(fp16_grads)
        for fp32, fp16 in zip(grads[0], fp16_grads):
            assert (fp16 - fp32).norm() <= RTOL * fp32.norm()


def _mpm(config: str):
    """The model of ``configs/mpm/<config>`` with the config's data
    preprocessor, initialised as the runner initialises the from-scratch
    recipe (random weights, the residual branches' last BN at zero), no
    pretrained weights."""
    cfg = Config.fromfile(osp.join(PROJECT_ROOT, 'configs', 'mpm', config))
    cfg.model.backbone.init_cfg = None
    cfg.model.setdefault('data_preprocessor', cfg.data_preprocessor)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    return model.train()


def _mpm_batch() -> dict:
    """Two 224 px images with labels and part maps, as the dataloader
    gives them."""
    g = torch.Generator().manual_seed(1)
    samples = []
    for label, part_map in zip((3, 700), _part_maps(2, 224, 1)):
        sample = DataSample().set_gt_label(label)
        sample.set_field(part_map, 'gt_part_map', dtype=torch.Tensor)
        samples.append(sample)
    return dict(
        inputs=[
            torch.randint(0, 256, (3, 224, 224), generator=g,
                          dtype=torch.uint8) for _ in range(2)
        ],
        data_samples=samples)


def _mpm_step(model, batch: dict, bf16: bool) -> dict:
    """``train_step`` without the optimizer: preprocessing and the losses
    under autocast (as ``AmpOptimWrapper.optim_context`` runs them), then
    the backward of their sum. The seed is fixed, so an attack starts from
    the same random point in both precisions."""
    model.zero_grad(set_to_none=True)
    torch.manual_seed(2)
    with torch.autocast('cpu', torch.bfloat16, enabled=bf16):
        data = model.data_preprocessor(batch, True)
        losses = model(**data, mode='loss')
    values = _backward(losses)
    _assert_finite(p.grad for p in model.parameters() if p.requires_grad)
    return values


@pytest.mark.slow
def test_mpm_loss_under_bf16():
    """The classifier and the bypass with its fused part loss."""
    model = _mpm(MPM_CONFIG)
    assert model.bypass.heads[0].pointwise_conv.out_channels == PART_CLASSES
    batch = _mpm_batch()
    fp32 = _mpm_step(model, batch, bf16=False)
    bf16 = _mpm_step(model, batch, bf16=True)
    assert set(fp32) == {'loss_cls', 'loss_part'}
    _assert_close(fp32, bf16)


@pytest.mark.slow
def test_adversarial_training_step_under_bf16(monkeypatch):
    """The stage-2 recipe's step: PGD (eps 4/255, 2 steps) on the
    classification loss, then the losses on the adversarial images. Under
    bfloat16 the attack's gradients with respect to the images are finite
    and not all zero, and its images stay in the eps ball."""
    model = _mpm(MPM_AT_CONFIG)
    assert model.adv_cfg['steps'] == 2
    attacks = []

    def recording_pgd(loss_fn, images, **kwargs):
        grads = []

        def loss_with_hook(pixels):
            # use_best scores the last iterate without gradients.
            if pixels.requires_grad:
                pixels.register_hook(lambda grad: grads.append(grad.clone()))
            return loss_fn(pixels)

        adv = pgd_linf(loss_with_hook, images, **kwargs)
        attacks.append((images, adv, grads, kwargs['eps']))
        return adv

    monkeypatch.setattr(adv_module, 'pgd_linf', recording_pgd)
    batch = _mpm_batch()
    fp32 = _mpm_step(model, batch, bf16=False)
    bf16 = _mpm_step(model, batch, bf16=True)
    _assert_close(fp32, bf16)
    images, adv, grads, eps = attacks[-1]
    assert len(grads) == 2
    for grad in grads:
        assert torch.isfinite(grad).all() and grad.abs().sum() > 0
    assert adv.dtype == torch.float32
    assert (adv - images).abs().max() <= eps + 1e-6
    assert (adv != images).any() and 0 <= adv.min() and adv.max() <= 1


@pytest.mark.slow
def test_part_segmenter_loss_under_bf16():
    """The segmenter config's losses (``PixelSoftTargetLoss``, decode
    weight 1, auxiliary 0.4) at 3311 classes on its heads' logits at their
    real size for one 512 px crop (decode 128 px, auxiliary 32 px), against
    its 512 px label map. The heads' convolutions themselves are not run:
    UPerNet-R50's at 512 px take tens of minutes in bfloat16 on an AVX2-only
    CPU, so the bfloat16 logits are the float32 ones rounded, as autocast's
    convolutions return them."""
    cfg = Config.fromfile(
        osp.join(PROJECT_ROOT, 'configs', 'part_seg', SEG_CONFIG))
    heads = dict(decode=cfg.model.decode_head, aux=cfg.model.auxiliary_head)
    for head in heads.values():
        assert head.num_classes == PART_CLASSES and \
            head.ignore_index == MAP_IGNORE_INDEX
    losses = {key: MODELS.build(head.loss_decode)
              for key, head in heads.items()}
    labels = _part_maps(1, 512, 2)
    g = torch.Generator().manual_seed(3)
    logits = {
        key: (2 * torch.randn(1, PART_CLASSES, size, size,
                              generator=g)).requires_grad_(True)
        for key, size in (('decode', 128), ('aux', 32))
    }
    values = []
    for dtype in (None, torch.bfloat16):
        with torch.autocast('cpu', torch.bfloat16, enabled=bool(dtype)):
            terms = {
                key: losses[key](
                    logits[key].to(dtype) if dtype else logits[key],
                    labels,
                    ignore_index=MAP_IGNORE_INDEX)
                for key in logits
            }
        values.append(_backward(terms))
        _assert_finite(leaf.grad for leaf in logits.values())
        for leaf in logits.values():
            leaf.grad = None
    _assert_close(*values)


# On a CPU-only machine AmpOptimWrapper refuses to be built (its device
# check); mmengine's autocast itself runs bfloat16 there.
cpu_only = pytest.mark.skipif(
    torch.cuda.is_available(), reason='checks the CPU-only behaviour')


@cpu_only
def test_amp_optim_wrapper_refuses_a_cpu_only_machine():
    params = [torch.nn.Parameter(torch.zeros(1))]
    with pytest.raises(AssertionError, match='only available training on '
                       'gpu, npu, mlu or musa'):
        AmpOptimWrapper(
            optimizer=torch.optim.SGD(params, lr=0.1), dtype='bfloat16')


@cpu_only
@pytest.mark.filterwarnings('ignore:`torch.cuda.amp.GradScaler')
@pytest.mark.filterwarnings('ignore:torch.cuda.amp.GradScaler is enabled')
def test_amp_optim_wrapper_step_path_on_a_cpu(monkeypatch):
    """Only the device check stands in the way: without it an MPM
    ``train_step`` through ``AmpOptimWrapper(dtype='bfloat16')`` runs in
    bfloat16 on a CPU, with the CUDA ``GradScaler`` disabled (the loss is
    not scaled, as bfloat16 needs no scale) and the weights updated."""
    monkeypatch.setattr(amp_optimizer_wrapper, 'is_cuda_available',
                        lambda: True)
    model = MODELS.build(
        dict(
            type='MPMClassifier',
            backbone=dict(
                type='ResNet',
                depth=18,
                base_channels=8,
                stem_channels=8,
                out_indices=(1, 2, 3)),
            neck=dict(type='GlobalAveragePooling'),
            head=dict(type='LinearClsHead', num_classes=3, in_channels=64),
            bypass=dict(
                type='MultiScalePartBypass',
                in_channels=(16, 32, 64),
                num_classes=6),
            part_loss=dict(type='SoftFocalPartLoss', target_size=(8, 8)),
            data_preprocessor=dict(
                type='PartClsDataPreprocessor', num_classes=3)))
    optim_wrapper = AmpOptimWrapper(
        optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
        dtype='bfloat16')
    assert not optim_wrapper.loss_scaler.is_enabled()
    dtypes = []
    model.head.fc.register_forward_hook(
        lambda module, args, output: dtypes.append(output.dtype))
    before = model.bypass.compact[0].conv.weight.clone()
    batch = dict(
        inputs=[
            torch.randint(0, 256, (3, 64, 64), dtype=torch.uint8)
            for _ in range(2)
        ],
        data_samples=make_part_samples(2))
    log_vars = model.train_step(batch, optim_wrapper)
    assert dtypes == [torch.bfloat16]
    assert all(torch.isfinite(v) for v in log_vars.values())
    assert not torch.equal(model.bypass.compact[0].conv.weight, before)
