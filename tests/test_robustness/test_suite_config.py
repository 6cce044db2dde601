# Copyright (c) mmpart contributors. All rights reserved.
"""Suite configs are validated when loaded; benchmarks are selected by the
data present and turned into test-only runner configs."""
import os
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from PIL import Image
from torchvision import transforms

from mmpart.datasets import imagenet_wnids
from mmpart.registry import METRICS, TRANSFORMS
from mmpart.robustness import RobustnessSuite, benchmark_runner_cfg
from ..conftest import PROJECT_ROOT

# The 1000-class output indices ImageNet-A-Plus is scored on: the first
# and last ten of the 200 kept by the official evaluation
# (eval_multi_dataset.py, the keys of thousand_k_to_200 not mapped to -1).
A_PLUS_FIRST = [6, 11, 13, 15, 17, 22, 23, 27, 30, 37]
A_PLUS_LAST = [957, 959, 971, 972, 980, 981, 984, 986, 987, 988]
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
        'imagenet_a_plus', 'imagenet_sketch', 'stylized_imagenet',
        'shape_bias'
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
     r"'meta_keys', 'pipeline', 'transform', 'on_the_fly'\]"),
    ({'clean_lst': 'list.txt'},
     r"imagenet_suite.py: unknown key\(s\) \['clean_lst'\]; the allowed "
     r"keys are \['benchmarks', 'classes', 'clean_list', 'attack_list'\]"),
    ({'benchmarks.imagenet_c.on_the_fly.transfrom': {}},
     r"benchmark 'imagenet_c', on_the_fly: unknown key\(s\) \['transfrom'\]"),
    ({'benchmarks.new': dict(requires='x', dataset=dict(type='A'))},
     r"benchmark 'new': missing key\(s\) \['evaluator', 'headline'\]"),
    ({'benchmarks.clean.headline': 'accuracy/top1'},
     r"benchmark 'clean': headline must be"),
    ({'benchmarks.clean.pipeline': [dict(type='LoadImageFromFile'), 'x']},
     r"benchmark 'clean': each step of pipeline must be"),
    ({'benchmarks.pgd10_l2.loop.attack': 'pgd10_l3'},
     r"benchmark 'pgd10_l2': unknown attack protocol 'pgd10_l3'; the "
     r"protocols are \['pgd10_linf', 'pgd10_l2', 'pgd10_linf_clean_start', "
     r"'pgd10_l2_clean_start', 'autoattack_linf', 'autoattack_l2'\]"),
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

    # ImageNet-A-Plus: its own steps, then the model config's packing.
    os.makedirs(osp.join(root, 'imagenet-a-plus'))
    a_plus = suite.select(root, only=['imagenet_a_plus'])[0]
    a_plus_cfg = benchmark_runner_cfg(cfg, a_plus['imagenet_a_plus'],
                                      'model.pth')
    loader = a_plus_cfg.test_dataloader
    assert loader.dataset.data_root == osp.join(root, 'imagenet-a-plus')
    assert [step.type for step in loader.dataset.pipeline] == [
        'LoadImageFromFile', 'Resize', 'CenterCrop', 'PackInputs'
    ]
    assert loader.dataset.pipeline[1].scale == (110, 110)
    assert loader.dataset.pipeline[-1] == base[-1]


@pytest.mark.parametrize('suite_file,resize,crop', [(IMAGENET_SUITE, 256, 224),
                                                    (TOY_SUITE, 110, 96)])
def test_imagenet_a_plus_squashes_then_crops(tmp_path, suite_file, resize,
                                             crop):
    """The official transform of an ``ImageFolder`` image (PIL-decoded,
    EXIF orientation ignored), torchvision's ``Resize((256, 256))`` (PIL,
    bilinear) then ``CenterCrop(224)``, to the pixel; scaled to 96 px in
    the toy suite."""
    steps = RobustnessSuite.fromfile(
        suite_file).benchmarks['imagenet_a_plus'].pipeline
    rgb = np.random.default_rng(0).integers(0, 256, (180, 300, 3), np.uint8)
    path = str(tmp_path / 'crop.jpg')
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotated 90 degrees
    Image.fromarray(rgb).save(path, exif=exif)
    results, shapes = dict(img_path=path), []
    for step in steps:
        results = TRANSFORMS.build(step)(results)
        shapes.append(results['img'].shape)
    # The 300x180 crop is squashed to a square, not resized on its short
    # side.
    assert shapes == [(180, 300, 3), (resize, resize, 3), (crop, crop, 3)]
    official = transforms.Compose([
        transforms.Resize((resize, resize)),
        transforms.CenterCrop((crop, crop))
    ])(Image.open(path).convert('RGB'))
    np.testing.assert_array_equal(results['img'][..., ::-1],
                                  np.asarray(official))


def test_imagenet_a_plus_is_scored_on_imagenet_a_classes():
    bench = RobustnessSuite.fromfile(
        IMAGENET_SUITE).benchmarks['imagenet_a_plus']
    assert bench.headline == ['subset/top1']
    metric = METRICS.build(bench.evaluator[0])
    wnids = imagenet_wnids()
    metric.dataset_meta = dict(classes=wnids)
    indices = metric.class_indices(wnids)
    assert len(indices) == 200
    assert indices[:10] == A_PLUS_FIRST and indices[-10:] == A_PLUS_LAST

    def sample(gt, *ranked):
        """Scores with ``ranked`` classes first, in that order."""
        score = torch.zeros(1000)
        for rank, label in enumerate(ranked):
            score[label] = 1.0 - 0.1 * rank
        return dict(pred_score=score, gt_label=torch.tensor([gt]))

    metric.process(None, [
        sample(6, 0, 6),  # best of 1000 outside the 200: right among them
        sample(11, 11),
        sample(13, 1, 15, 13),  # 15 beats 13 among the 200
        sample(988, 999, 988),
    ])
    # Over all 1000 classes only the second is right.
    assert metric.compute_metrics(metric.results) == dict(top1=75.0)
