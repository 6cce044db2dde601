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
from mmengine.logging import MMLogger
from mmengine.runner import Runner

from mmpart.robustness import run_robustness_suite, select_benchmarks
from mmpart.toy import make_toy_robustness_root

from ..conftest import PROJECT_ROOT

TOY_SUITE = osp.join(PROJECT_ROOT, 'configs', 'robustness', 'toy_suite.py')
# AutoAttack is slow on a CPU; tests/test_engine covers it.
FAST = ['clean', 'pgd10_linf', 'imagenet_c', 'imagenet_r', 'imagenet_a',
        'imagenet_sketch', 'stylized_imagenet', 'shape_bias']


@pytest.fixture(scope='module')
def toy_root(toy_pinpp, tmp_path_factory):
    data_root, _ = toy_pinpp
    root = str(tmp_path_factory.mktemp('robustness_root'))
    counts = make_toy_robustness_root(
        data_root, root, per_class=1,
        skip=('imagenet-a', 'imagenet-sketch'))
    assert counts['imagenet-c'] == 10 * 75
    return root


def _runner(config, ckpt, work_dir):
    cfg = Config.fromfile(config)
    cfg.work_dir = str(work_dir)
    cfg.load_from = ckpt
    return cfg, Runner.from_cfg(cfg)


def test_suite_runs_present_and_skips_absent(toy_classifier, toy_root,
                                             tmp_path, capsys):
    _, config, ckpt = toy_classifier
    clean = _runner(config, ckpt, tmp_path / 'test')[1].test()
    cfg, runner = _runner(config, ckpt, tmp_path / 'work')
    out = str(tmp_path / 'report')
    results = run_robustness_suite(runner, cfg, Config.fromfile(TOY_SUITE),
                                   toy_root, out, ckpt, only=FAST)
    assert sorted(results['skipped']) == ['imagenet_a', 'imagenet_sketch']
    assert 'imagenet-a not found' in results['skipped']['imagenet_a']
    log = open(MMLogger.get_current_instance().log_file).read()
    assert 'skipping imagenet_a: imagenet-a not found' in log
    bench = results['benchmarks']
    assert list(bench) == ['clean', 'pgd10_linf', 'imagenet_c', 'imagenet_r',
                           'stylized_imagenet', 'shape_bias']
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

    saved = json.load(open(osp.join(out, 'results.json')))
    assert saved['benchmarks']['imagenet_r'] == json.loads(
        json.dumps(bench['imagenet_r']))
    table = open(osp.join(out, 'results.md')).read()
    assert '| imagenet_a | skipped | imagenet-a not found' in table
    assert f"| clean | accuracy/top1 | {clean['accuracy/top1']:.2f} |" in table
    with open(osp.join(out, 'results.png'), 'rb') as f:
        assert f.read(8) == b'\x89PNG\r\n\x1a\n'


def test_on_the_fly_corruptions_and_bad_names(toy_root, tmp_path):
    suite = Config.fromfile(TOY_SUITE)
    root = str(tmp_path / 'no_c')
    os.makedirs(root)
    os.symlink(osp.join(toy_root, 'imagenet'), osp.join(root, 'imagenet'))
    os.symlink(osp.join(toy_root, 'clean_subset.txt'),
               osp.join(root, 'clean_subset.txt'))
    run, skipped = select_benchmarks(suite, root, only=['imagenet_c'])
    assert run == {} and 'imagenet-c not found' in skipped['imagenet_c']
    run, skipped = select_benchmarks(suite, root, corrupt_on_the_fly=True,
                                     only=['imagenet_c'])
    bench = run['imagenet_c']
    assert bench.source == 'on the fly'
    assert bench.transform.type == 'ImageNetCorruption'
    assert bench.dataset.clean_ann_file == osp.join(root, 'clean_subset.txt')
    assert bench.dataset.classes == osp.join(root, 'imagenet', 'meta',
                                             'classes.txt')
    with pytest.raises(KeyError, match='unknown benchmarks'):
        select_benchmarks(suite, root, only=['imagenet_x'])


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


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
    two = json.load(open(osp.join(out, 'results.json')))['benchmarks']

    cfg, runner = _runner(config, ckpt, tmp_path / 'work')
    one = run_robustness_suite(runner, cfg, Config.fromfile(TOY_SUITE),
                               toy_root, str(tmp_path / 'one'), ckpt,
                               only=only)['benchmarks']
    for name in only:
        for key, value in one[name]['metrics'].items():
            assert two[name]['metrics'][key] == pytest.approx(value), key
