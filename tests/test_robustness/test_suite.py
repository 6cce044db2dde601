# Copyright (c) mmpart contributors. All rights reserved.
"""The robustness suite on a toy root: what runs, what is skipped, reports,
and the same numbers from two processes."""
import json
import os
import os.path as osp
import socket
import subprocess
import sys

import pytest
from mmengine.config import Config
from mmengine.runner import Runner

from mmpart.robustness import RobustnessSuite, run_robustness_suite
from mmpart.toy import make_toy_robustness_root
from ..conftest import PROJECT_ROOT

TOY_SUITE = osp.join(PROJECT_ROOT, 'configs', 'robustness', 'toy_suite.py')
TOY_CONFIG = osp.join(PROJECT_ROOT, 'configs', 'toy',
                      'resnet18-w32_1xb32-12e_toy-pinpp.py')
# AutoAttack is slow on a CPU; tests/test_engine covers it.
FAST = ['clean', 'pgd10_linf', 'imagenet_c', 'imagenet_r', 'imagenet_a',
        'imagenet_a_plus', 'imagenet_sketch', 'stylized_imagenet',
        'shape_bias']


@pytest.fixture(scope='module')
def toy_root(toy_pinpp, tmp_path_factory):
    data_root, _ = toy_pinpp
    root = str(tmp_path_factory.mktemp('robustness_root'))
    counts = make_toy_robustness_root(
        data_root, root, per_class=1,
        skip=('imagenet-a', 'imagenet-sketch'))
    assert counts['imagenet-c'] == 10 * 75
    return root


def _model_cfg(config, work_dir):
    cfg = Config.fromfile(config)
    cfg.work_dir = str(work_dir)
    return cfg


@pytest.mark.slow
def test_suite_runs_present_and_skips_absent(toy_classifier, toy_root,
                                             tmp_path):
    _, config, ckpt = toy_classifier
    test_cfg = _model_cfg(config, tmp_path / 'test')
    test_cfg.load_from = ckpt
    clean = Runner.from_cfg(test_cfg).test()
    cfg = _model_cfg(config, tmp_path / 'work')
    out = str(tmp_path / 'report')
    results = run_robustness_suite(cfg, RobustnessSuite.fromfile(TOY_SUITE),
                                   toy_root, out, ckpt, only=FAST)
    assert sorted(results['skipped']) == ['imagenet_a', 'imagenet_sketch']
    assert 'imagenet-a not found' in results['skipped']['imagenet_a']
    with open(tmp_path / 'work' / 'robustness_suite.log') as f:
        log = f.read()
    assert 'skipping imagenet_a: imagenet-a not found' in log
    assert 'running shape_bias' in log
    bench = results['benchmarks']
    assert list(bench) == ['clean', 'pgd10_linf', 'imagenet_c', 'imagenet_r',
                           'imagenet_a_plus', 'stylized_imagenet',
                           'shape_bias']
    # One runner (and log folder) per benchmark.
    assert all(osp.isdir(tmp_path / 'work' / name) for name in bench)
    # Clean accuracy is mmpretrain's Accuracy on the same images.
    assert bench['clean']['metrics']['accuracy/top1'] == clean[
        'accuracy/top1']
    assert bench['pgd10_linf']['metrics']['clean/top1'] == clean[
        'accuracy/top1']
    assert bench['pgd10_linf']['metrics']['robust/top1'] < clean[
        'accuracy/top1']
    c = bench['imagenet_c']['metrics']
    assert sum(k.endswith('/CE') for k in c) == 15 and 'imagenet-c/mCE' in c
    assert 0 <= c['imagenet-c/top1'] <= 100
    assert 0 <= bench['shape_bias']['metrics']['shape/shape_bias'] <= 1
    # One toy class is among ImageNet-A's 200: restricted to it, every
    # prediction is right.
    assert bench['imagenet_a_plus']['metrics'] == {'subset/top1': 100.0}

    with open(osp.join(out, 'results.json')) as f:
        saved = json.load(f)
    assert saved['benchmarks']['imagenet_r'] == json.loads(
        json.dumps(bench['imagenet_r']))
    with open(osp.join(out, 'results.md')) as f:
        table = f.read()
    assert '| imagenet_a | skipped | imagenet-a not found' in table
    assert '| imagenet_a_plus | subset/top1 | 100.00 |' in table
    assert f"| clean | accuracy/top1 | {clean['accuracy/top1']:.2f} |" in table
    with open(osp.join(out, 'results.png'), 'rb') as f:
        assert f.read(8) == b'\x89PNG\r\n\x1a\n'


def test_folder_without_images_is_a_reported_skip(tmp_path):
    # The dataset fails before any weights are needed: no checkpoint.
    root = tmp_path / 'data'
    os.makedirs(root / 'imagenet-r' / 'n01443537')
    (root / 'imagenet-r' / 'n01443537' / 'notes.txt').write_text('x')
    cfg = _model_cfg(TOY_CONFIG, tmp_path / 'work')
    out = str(tmp_path / 'report')
    suite = RobustnessSuite.fromfile(
        osp.join(PROJECT_ROOT, 'configs', 'robustness', 'imagenet_suite.py'))
    results = run_robustness_suite(cfg, suite, str(root), out,
                                   'no_checkpoint.pth', only=['imagenet_r'])
    assert results['benchmarks'] == {}
    assert 'no usable images' in results['skipped']['imagenet_r']
    with open(osp.join(out, 'results.md')) as f:
        assert '| imagenet_r | skipped |' in f.read()


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_suite_tool_two_processes(toy_classifier, toy_root, tmp_path):
    _, config, ckpt = toy_classifier
    out = str(tmp_path / 'report')
    env = dict(os.environ, PYTHON=sys.executable, PORT=str(_free_port()),
               OMP_NUM_THREADS='1',
               SCRIPT='tools/analysis_tools/robustness_suite.py')
    only = ['clean', 'imagenet_r', 'shape_bias']
    proc = subprocess.run(
        ['bash', 'tools/dist_test.sh', config, ckpt, '2', '--data-root',
         toy_root, '--out', out, '--suite', TOY_SUITE, '--only'] + only,
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-5000:]
    assert 'Distributed launcher: pytorch' in proc.stdout
    with open(osp.join(out, 'results.json')) as f:
        two = json.load(f)['benchmarks']

    one = run_robustness_suite(
        _model_cfg(config, tmp_path / 'work'),
        RobustnessSuite.fromfile(TOY_SUITE), toy_root, str(tmp_path / 'one'),
        ckpt, only=only)['benchmarks']
    for name in only:
        for key, value in one[name]['metrics'].items():
            assert two[name]['metrics'][key] == pytest.approx(value), key
