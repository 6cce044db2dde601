# Copyright (c) mmpart contributors. All rights reserved.
"""A wheel of mmpart carries ``mmpart/.mim`` and ``mim search mmpart`` reads
the model index from an installation of it.

The build runs in the checkout (as ``pip install .`` does) and must leave
nothing there that git would see. ``mim search`` needs a regular install:
mim 0.3.9 looks for ``<dist-info location>/mmpart/.mim/model-index.yml``,
which a PEP 660 editable install does not have.
"""
import glob
import os
import os.path as osp
import re
import subprocess
import sys
import time
import zipfile

import pytest
from modelindex.load_model_index import load

from ..conftest import PROJECT_ROOT


def _untracked():
    """Files git would report as new in the checkout (ignored ones not)."""
    out = subprocess.run(
        ['git', 'ls-files', '--others', '--exclude-standard'],
        cwd=PROJECT_ROOT, check=True, stdout=subprocess.PIPE, text=True)
    return set(out.stdout.splitlines())


def _run(args, **kwargs):
    proc = subprocess.run(args, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=300,
                          **kwargs)
    assert proc.returncode == 0, proc.stdout[-5000:]
    return proc.stdout


@pytest.mark.slow
@pytest.mark.skipif(not osp.isdir(osp.join(PROJECT_ROOT, '.git')),
                    reason='needs the git checkout')
def test_wheel_then_mim_search(tmp_path):
    start = time.monotonic()
    before = _untracked()
    _run([sys.executable, '-m', 'pip', 'wheel', '--no-deps',
          '--no-build-isolation', '-q', '-w', str(tmp_path / 'dist'),
          PROJECT_ROOT])
    assert _untracked() - before == set()

    wheel, = glob.glob(str(tmp_path / 'dist' / 'mmpart-*.whl'))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    for name in ('mmpart/.mim/model-index.yml',
                 'mmpart/.mim/configs/mpm/metafile.yml',
                 'mmpart/.mim/configs/toy/mpm_resnet18-w32_1xb32-12e_'
                 'toy-pinpp-parts.py', 'mmpart/.mim/tools/train.py',
                 'mmpart/datasets/meta/pinpp_part_counts.tsv'):
        assert name in names, name
    assert not [n for n in names if n.startswith('tests/')]
    assert not [n for n in names if '__pycache__' in n]

    site = tmp_path / 'site'
    _run([sys.executable, '-m', 'pip', 'install', '--no-deps', '-q',
          '--target', str(site), wheel])
    mim = osp.join(osp.dirname(sys.executable), 'mim')
    env = dict(os.environ, PYTHONPATH=str(site))
    out = _run([mim, 'search', 'mmpart'], env=env, cwd=str(tmp_path))
    listed = set(re.findall(r'^config id: (\S+)$', out, flags=re.M))
    index = load(osp.join(PROJECT_ROOT, 'model-index.yml'))
    assert 'mpm_resnet50-gelu_8xb64-stage2-at-80e_in1k-pinpp' in listed
    assert listed == {model.name for model in index.models}
    # A measured toy result, as mim names it.
    mpm = out.split('config id: mpm_resnet18-w32_1xb32-12e_toy-pinpp-parts\n',
                    1)[1].split('config id:', 1)[0]
    assert re.search(r'^pin\+\+ toy/top_1_accuracy +97\.0$', mpm, re.M)
    assert time.monotonic() - start < 60
