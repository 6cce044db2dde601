# Copyright (c) mmpart contributors. All rights reserved.
"""Robust accuracy in the mmengine test loop (torchattacks): attacks by
protocol name, fp16, and attacks on a trained toy model."""
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.runner import Runner
from mmpretrain.structures import DataSample
from torch.utils.data import DataLoader

from mmpart.models.attacks import DEFAULT_EPS, build_attack

#: A small mmpretrain classifier on 32 px images (fast on a CPU).
TINY_CLASSIFIER = dict(
    type='ImageClassifier',
    data_preprocessor=dict(
        type='ClsDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375]),
    backbone=dict(
        type='ResNet', depth=18, stem_channels=8, base_channels=8),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(type='LinearClsHead', num_classes=4, in_channels=64))


def _tiny_runner(work_dir, name, **loop_args):
    """A runner testing the tiny classifier on 8 random images with an
    ``AdversarialTestLoop``."""
    generator = torch.Generator().manual_seed(0)
    samples = [
        dict(
            inputs=torch.randint(
                0, 256, (3, 32, 32), dtype=torch.uint8, generator=generator),
            data_samples=DataSample().set_gt_label(i % 4)) for i in range(8)
    ]
    torch.manual_seed(0)
    return Runner(
        model=TINY_CLASSIFIER,
        work_dir=str(work_dir),
        test_dataloader=DataLoader(
            samples, batch_size=4, collate_fn=pseudo_collate),
        test_cfg=dict(
            type='AdversarialTestLoop', progress_bar=False, **loop_args),
        test_evaluator=[
            dict(type='Accuracy', topk=(1, )),
            dict(type='RobustAccuracy')
        ],
        default_scope='mmpart',
        experiment_name=name)


def test_loop_takes_protocol_names(tmp_path):
    runner = _tiny_runner(tmp_path, 'protocol_names',
                          attack=dict(protocol='pgd10_l2', eps=0.5))
    assert runner.test_loop.attack_cfg == dict(
        type='PGDL2', eps=0.5, alpha=0.5, steps=10, random_start=True)
    # Built loops fail on an unknown name before any batch is attacked.
    with pytest.raises(KeyError, match='unknown attack protocol'):
        _tiny_runner(tmp_path, 'bad_protocol', attack='pgd10_lnf').test_loop


@pytest.mark.parametrize('fp16', [False, True])
def test_fp16_runs_every_forward_under_autocast(tmp_path, fp16):
    runner = _tiny_runner(tmp_path, f'fp16_{fp16}', attack='pgd10_linf',
                          fp16=fp16)
    seen = []  # (logits dtype, gradients on) of every forward

    def record(module, args, output):
        seen.append((output.dtype, torch.is_grad_enabled()))

    runner.model.head.fc.register_forward_hook(record)
    metrics = runner.test()
    assert 0 <= metrics['robust/top1'] <= metrics['accuracy/top1']
    # Per batch: a clean prediction, 10 PGD steps, an adversarial one.
    assert len(seen) == 2 * 12
    assert sum(grad for _, grad in seen) == 2 * 10
    # On a CPU mmengine's autocast computes in bfloat16.
    expected = torch.bfloat16 if fp16 else torch.float32
    assert {dtype for dtype, _ in seen} == {expected}


def test_build_attack_defaults(tmp_path):
    model = _tiny_runner(tmp_path, 'defaults').model
    assert build_attack(dict(type='PGD'), model).eps == DEFAULT_EPS['Linf']
    assert build_attack(dict(type='PGDL2'), model).eps == DEFAULT_EPS['L2']
    assert DEFAULT_EPS == dict(Linf=4 / 255, L2=2.0)
    # n_classes comes from the head (torchattacks' default is 10): APGD-T
    # then aims at the 3 other classes.
    auto = build_attack(dict(type='AutoAttack', norm='L2'), model)
    assert auto.eps == 2.0
    assert auto._autoattack.attacks[1].n_target_classes == 3
    assert build_attack(dict(type='PGD', eps=0.1), model).eps == 0.1
    with pytest.raises(ValueError, match='Linf and L2 only'):
        build_attack(dict(type='AutoAttack', norm='L1'), model)
    with pytest.raises(KeyError, match='no attack'):
        build_attack(dict(type='NoSuchAttack'), model)


def _toy_runner(toy_classifier, work_dir, attack=None, adversarial=True,
                restarts=1, num_images=40, batch_size=20):
    """A test runner on the first ``num_images`` toy val images."""
    _, config, ckpt = toy_classifier
    cfg = Config.fromfile(config)
    cfg.work_dir = str(work_dir)
    cfg.load_from = ckpt
    cfg.test_dataloader.dataset.indices = num_images
    cfg.test_dataloader.batch_size = batch_size
    if adversarial:
        cfg.test_cfg = dict(
            type='AdversarialTestLoop', attack=attack, restarts=restarts)
        cfg.test_evaluator = [
            dict(type='Accuracy', topk=(1, )),
            dict(type='RobustAccuracy')
        ]
    return Runner.from_cfg(cfg)


def _test(*args, **kwargs):
    return _toy_runner(*args, **kwargs).test()


@pytest.mark.slow
def test_robust_accuracy_falls_with_eps(toy_classifier, tmp_path):
    clean = _test(toy_classifier, tmp_path, adversarial=False)
    robust = []
    # From the clean image: random starts would blur the monotony checked.
    for eps in (0.25, 1, 4, 64):
        metrics = _test(
            toy_classifier, tmp_path,
            dict(
                protocol='pgd10_linf_clean_start',
                eps=eps / 255,
                alpha=eps / 255 / 4))
        # The clean accuracy of the adversarial loop is mmpretrain's, over
        # two batches (the attack must leave the model in eval mode).
        assert metrics['accuracy/top1'] == clean['accuracy/top1']
        robust.append(metrics['robust/top1'])
    print(f'clean {clean["accuracy/top1"]}, PGD-10 at 0.25/1/4/64 of 255: '
          f'{robust}')
    assert clean['accuracy/top1'] > 30
    assert robust[0] <= clean['accuracy/top1']
    assert all(a >= b for a, b in zip(robust, robust[1:]))
    assert robust[0] > robust[-1]
    assert robust[-1] == 0


@pytest.mark.slow
def test_attack_leaves_model_untouched(toy_classifier, tmp_path):
    runner = _toy_runner(toy_classifier, tmp_path,
                         dict(type='PGD', eps=4 / 255, alpha=1 / 255, steps=3))
    ckpt = torch.load(toy_classifier[2], map_location='cpu')['state_dict']
    runner.test()
    assert not runner.model.training
    # BatchNorm running statistics are not updated by attacked batches.
    for name, value in runner.model.state_dict().items():
        assert torch.equal(value, ckpt[name]), name


@pytest.mark.slow
def test_autoattack_not_weaker_than_pgd(toy_classifier, tmp_path):
    # Few images: FAB-T and Square (5000 queries per image still correct)
    # are slow on a CPU, about a minute here.
    kwargs = dict(num_images=8, batch_size=8)
    pgd = _test(toy_classifier, tmp_path, 'pgd10_linf', **kwargs)
    auto = _test(toy_classifier, tmp_path, 'autoattack_linf', **kwargs)
    print(f'clean {pgd["accuracy/top1"]}, PGD-10 {pgd["robust/top1"]}, '
          f'AutoAttack {auto["robust/top1"]} at 4/255')
    assert auto['accuracy/top1'] == pgd['accuracy/top1']
    assert auto['robust/top1'] <= pgd['robust/top1']
    assert auto['robust/top1'] < auto['accuracy/top1']


@pytest.mark.slow
def test_l2_pgd_and_restarts(toy_classifier, tmp_path):
    attack = dict(type='PGDL2', eps=0.5, alpha=0.1, steps=5)
    one = _test(toy_classifier, tmp_path, attack)
    three = _test(toy_classifier, tmp_path, attack, restarts=3)
    # Random starts: a sample broken by any restart counts as broken.
    assert three['robust/top1'] <= one['robust/top1'] + 2.5
    assert 0 <= three['robust/top1'] < one['accuracy/top1']
