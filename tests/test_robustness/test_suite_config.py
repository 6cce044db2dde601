# Copyright (c) mmpart contributors. All rights reserved.
"""Suite configs are validated when loaded; benchmarks are selected by the
data present and turned into test-only runner configs."""
import os
import os.path as osp

import pytest
from mmengine.config import Config

from mmpart.robustness import RobustnessSuite, benchmark_runner_cfg
from ..conftest import PROJECT_ROOT

SUITES = osp.join(PROJECT_ROOT, 'configs', 'robustness')
IMAGENET_SUITE = osp.join(SUITES, 'imagenet_suite.py')
TOY_SUITE = osp.join(SUITES, 'toy_suite.py')
TOY_CONFIG = osp.join(PROJECT_ROOT, 'configs', 'toy',
                      'resnet18-w32_1xb32-12e_toy-pinpp.py')


def test_suites_load():
    suite = RobustnessSuite.fromfile(IMAGENET_SUITE)
    assert list(suite.benchmarks) == [
        'clean', 'pgd10_linf', 'pgd10_l2', 'autoattack_linf',
        'autoattack_l2', 'imagenet_c', 'imagenet_r', 'imagenet_a',
        'imagenet_sketch', 'stylized_imagenet', 'shape_bias'
    ]
    assert suite.benchmarks['pgd10_l2'].loop == dict(
        type='AdversarialTestLoop', attack='pgd10_l2')
    assert suite.benchmarks['clean'].loop == dict(type='TestLoop')
    assert suite.classes is None
    toy = RobustnessSuite.fromfile(TOY_SUITE)
    eps = 2.0 * 96 / 224
    assert toy.benchmarks['pgd10_l2'].loop.attack == dict(
        protocol='pgd10_l2', eps=eps, alpha=eps / 4)
    variant = toy.benchmarks['imagenet_c'].on_the_fly
    assert variant.transform == dict(type='ImageNetCorruption', seed=0)
    assert variant.dataset.clean_ann_file == '{data_root}/clean_subset.txt'


@pytest.mark.parametrize('options,message', [
    ({'benchmarks.clean.headlines': ['accuracy/top1']},
     r"benchmark 'clean': unknown key\(s\) \['headlines'\]; the allowed "
     r"keys are \['requires', 'dataset', 'evaluator', 'headline', 'loop', "
     r"'meta_keys', 'transform', 'on_the_fly'\]"),
    ({'clean_lst': 'list.txt'},
     r"imagenet_suite.py: unknown key\(s\) \['clean_lst'\]; the allowed "
     r"keys are \['benchmarks', 'classes', 'clean_list', 'attack_list'\]"),
    ({'benchmarks.imagenet_c.on_the_fly.transfrom': {}},
     r"benchmark 'imagenet_c', on_the_fly: unknown key\(s\) \['transfrom'\]"),
    ({'benchmarks.new': dict(requires='x', dataset=dict(type='A'))},
     r"benchmark 'new': missing key\(s\) \['evaluator', 'headline'\]"),
    ({'benchmarks.clean.headline': 'accuracy/top1'},
     r"benchmark 'clean': headline must be"),
    ({'benchmarks.pgd10_l2.loop.attack': 'pgd10_l3'},
     r"benchmark 'pgd10_l2': unknown attack protocol 'pgd10_l3'; the "
     r"protocols are \['pgd10_linf', 'pgd10_l2', 'autoattack_linf', "
     r"'autoattack_l2'\]"),
])
def test_misspelt_keys_fail_loudly(options, message):
    with pytest.raises(ValueError, match=message):
        RobustnessSuite.fromfile(IMAGENET_SUITE, options)


def test_helpers_are_ignored_and_config_objects_validate():
    suite = RobustnessSuite.from_config(
        Config(
            dict(
                _shared=dict(requires='a'),
                benchmarks=dict(
                    only=dict(
                        requires='a',
                        dataset=dict(type='WnidFolderDataset'),
                        evaluator=dict(type='Accuracy'),
                        headline=['accuracy/top1'])))))
    assert list(suite.benchmarks) == ['only']
    assert suite.benchmarks['only'].meta_keys == ()


def test_selection_by_data_present(tmp_path):
    root = str(tmp_path)
    os.makedirs(osp.join(root, 'imagenet', 'val'))
    suite = RobustnessSuite.fromfile(TOY_SUITE)
    run, skipped = suite.select(root, only=['clean', 'imagenet_c'])
    assert list(run) == ['clean']
    assert skipped == {'imagenet_c': f'imagenet-c not found in {root}'}
    clean = run['clean']
    assert clean.source == 'files'
    # Placeholders filled, settings first ({classes}, {clean_list}).
    assert clean.dataset.ann_file == osp.join(root, 'imagenet', 'meta',
                                              'val.txt')
    assert clean.dataset.classes == osp.join(root, 'imagenet', 'meta',
                                             'classes.txt')
    assert clean.dataset.data_root == osp.join(root, 'imagenet')

    run, skipped = suite.select(root, corrupt_on_the_fly=True,
                                only=['imagenet_c'])
    bench = run['imagenet_c']
    assert skipped == {}
    assert bench.source == 'on the fly'
    assert bench.transform.type == 'ImageNetCorruption'
    assert bench.dataset.clean_ann_file == osp.join(root, 'clean_subset.txt')
    # The suite itself keeps its placeholders.
    assert suite.benchmarks['clean'].dataset.ann_file == '{clean_list}'
    with pytest.raises(KeyError, match='unknown benchmarks'):
        suite.select(root, only=['imagenet_x'])

    # Without classes, the bundled ImageNet lists and 1000 classes.
    imagenet = RobustnessSuite.fromfile(IMAGENET_SUITE)
    clean = imagenet.select(root, only=['clean'])[0]['clean']
    assert clean.dataset.ann_file == 'mmpart::imagenet_val_subset_10k.txt'
    assert clean.dataset.classes is None


def test_benchmark_runner_cfg(tmp_path):
    root = str(tmp_path)
    os.makedirs(osp.join(root, 'imagenet', 'val'))
    suite = RobustnessSuite.fromfile(TOY_SUITE)
    run, _ = suite.select(root, corrupt_on_the_fly=True,
                          only=['pgd10_linf', 'imagenet_c'])
    cfg = Config.fromfile(TOY_CONFIG)
    cfg.work_dir = str(tmp_path / 'work')
    bench_cfg = benchmark_runner_cfg(cfg, run['imagenet_c'], 'model.pth',
                                     batch_size=7)
    for key in ('train_dataloader', 'val_dataloader', 'optim_wrapper',
                'param_scheduler', 'train_cfg', 'val_cfg'):
        assert key not in bench_cfg
    assert bench_cfg.load_from == 'model.pth' and not bench_cfg.resume
    assert bench_cfg.work_dir == str(tmp_path / 'work' / 'imagenet_c')
    loader = bench_cfg.test_dataloader
    assert loader.batch_size == 7
    assert loader.dataset.type == 'ImageNetCDataset'
    pipeline = loader.dataset.pipeline
    base = cfg.test_dataloader.dataset.pipeline
    # The corruption goes right before packing, which keeps the metainfo
    # the ImageNet-C metric needs.
    assert pipeline[:-2] == base[:-1]
    assert pipeline[-2] == dict(type='ImageNetCorruption', seed=0)
    assert pipeline[-1].meta_keys[-2:] == ('corruption', 'severity')
    assert bench_cfg.test_evaluator == [
        dict(type='ImageNetCMetric', reference='alexnet')
    ]
    assert bench_cfg.test_cfg == dict(type='TestLoop')
    # The model config is left as it is.
    assert 'train_dataloader' in cfg and cfg.get('load_from') is None

    pgd_cfg = benchmark_runner_cfg(cfg, run['pgd10_linf'], 'model.pth')
    assert pgd_cfg.test_cfg == dict(type='AdversarialTestLoop',
                                    attack='pgd10_linf')
    assert pgd_cfg.test_dataloader.dataset.type == 'ImageNetListDataset'
    assert pgd_cfg.test_dataloader.dataset.pipeline == base
