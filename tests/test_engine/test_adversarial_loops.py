# Copyright (c) mmpart contributors. All rights reserved.
"""Robust accuracy in the mmengine test loop (torchattacks) on a toy model."""
import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from mmpart.engine.runner.adversarial_loops import DEFAULT_EPS, build_attack


def _runner(toy_classifier, work_dir, attack=None, adversarial=True,
            restarts=1, num_images=40, batch_size=20):
    """A test runner on the first ``num_images`` toy val images."""
    _, config, ckpt = toy_classifier
    cfg = Config.fromfile(config)
    cfg.work_dir = str(work_dir)
    cfg.load_from = ckpt
    cfg.test_dataloader.dataset.indices = num_images
    cfg.test_dataloader.batch_size = batch_size
    if adversarial:
        cfg.test_cfg = dict(type='AdversarialTestLoop', attack=attack,
                            restarts=restarts)
        cfg.test_evaluator = [dict(type='Accuracy', topk=(1, )),
                              dict(type='RobustAccuracy')]
    return Runner.from_cfg(cfg)


def _test(*args, **kwargs):
    return _runner(*args, **kwargs).test()


def test_robust_accuracy_falls_with_eps(toy_classifier, tmp_path):
    clean = _test(toy_classifier, tmp_path, adversarial=False)
    robust = []
    for eps in (0.25, 1, 4, 64):
        metrics = _test(
            toy_classifier, tmp_path,
            dict(type='PGD', eps=eps / 255, alpha=eps / 255 / 4, steps=10,
                 random_start=False))
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


def test_attack_leaves_model_untouched(toy_classifier, tmp_path):
    runner = _runner(toy_classifier, tmp_path,
                     dict(type='PGD', eps=4 / 255, alpha=1 / 255, steps=3))
    ckpt = torch.load(toy_classifier[2], map_location='cpu',
                      weights_only=False)['state_dict']
    runner.test()
    assert not runner.model.training
    # BatchNorm running statistics are not updated by attacked batches.
    for name, value in runner.model.state_dict().items():
        assert torch.equal(value, ckpt[name]), name


def test_autoattack_not_weaker_than_pgd(toy_classifier, tmp_path):
    eps = 4 / 255
    # Few images: FAB-T and Square (5000 queries per image still correct)
    # are slow on a CPU, about a minute here.
    kwargs = dict(num_images=8, batch_size=8)
    pgd = _test(toy_classifier, tmp_path,
                dict(type='PGD', eps=eps, alpha=eps / 4, steps=10,
                     random_start=False), **kwargs)
    auto = _test(toy_classifier, tmp_path,
                 dict(type='AutoAttack', norm='Linf', eps=eps,
                      version='standard'), **kwargs)
    print(f'clean {pgd["accuracy/top1"]}, PGD-10 {pgd["robust/top1"]}, '
          f'AutoAttack {auto["robust/top1"]} at 4/255')
    assert auto['accuracy/top1'] == pgd['accuracy/top1']
    assert auto['robust/top1'] <= pgd['robust/top1']
    assert auto['robust/top1'] < auto['accuracy/top1']


def test_l2_pgd_and_restarts(toy_classifier, tmp_path):
    attack = dict(type='PGDL2', eps=0.5, alpha=0.1, steps=5)
    one = _test(toy_classifier, tmp_path, attack)
    three = _test(toy_classifier, tmp_path, attack, restarts=3)
    # Random starts: a sample broken by any restart counts as broken.
    assert three['robust/top1'] <= one['robust/top1'] + 2.5
    assert 0 <= three['robust/top1'] < one['accuracy/top1']


def test_build_attack_defaults(toy_classifier, tmp_path):
    model = _runner(toy_classifier, tmp_path).model
    assert build_attack(dict(type='PGD'), model).eps == DEFAULT_EPS['Linf']
    assert build_attack(dict(type='PGDL2'), model).eps == 2.0
    # n_classes comes from the head (torchattacks' default is 10, as many
    # as the toy head has, so pretend the head has 7): APGD-T then aims at
    # the 6 other classes.
    model.head.num_classes = 7
    auto = build_attack(dict(type='AutoAttack', norm='L2'), model)
    assert auto.eps == 2.0
    assert auto._autoattack.attacks[1].n_target_classes == 6
    assert build_attack(dict(type='PGD', eps=0.1), model).eps == 0.1
    with pytest.raises(ValueError, match='Linf and L2 only'):
        build_attack(dict(type='AutoAttack', norm='L1'), model)
    with pytest.raises(KeyError, match='no attack'):
        build_attack(dict(type='NoSuchAttack'), model)
