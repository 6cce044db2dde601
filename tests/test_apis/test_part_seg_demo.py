# Copyright (c) mmpart contributors. All rights reserved.
"""demo/part_seg_demo.py as a user runs it."""
import os
import os.path as osp
import subprocess
import sys

import cv2
import pytest

from mmpart.datasets import LabelSpace
from ..conftest import PROJECT_ROOT
from .conftest import toy_image


@pytest.mark.slow
def test_demo_writes_the_overlay_and_lists_the_parts(toy_segmenter,
                                                     tmp_path):
    img = toy_image(toy_segmenter['root'])
    out = str(tmp_path / 'pictures' / 'overlay.png')
    proc = subprocess.run(
        [sys.executable, 'demo/part_seg_demo.py', img,
         toy_segmenter['config'], toy_segmenter['checkpoint'], '--out', out,
         '--object', 'n01443537', '--opacity', '0.7'],
        cwd=PROJECT_ROOT, env=dict(os.environ, PYTHONPATH=PROJECT_ROOT),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        timeout=300)
    assert proc.returncode == 0, proc.stdout[-4000:]
    picture = cv2.imread(out)
    assert picture is not None and picture.shape[1] == 320
    assert picture.shape[0] > 96 + 18
    lines = proc.stdout.splitlines()
    found = lines.index(next(line for line in lines
                             if line.endswith('parts found:')))
    count = int(lines[found].split()[0])
    listed = lines[found + 1:found + 1 + count]
    # The class-aware map holds goldfish parts only; the checkpoint names
    # its classes in capitals.
    space = LabelSpace.from_file(
        osp.join(toy_segmenter['root'], 'label_space.tsv'))
    start = space.part_offsets['n01443537']
    goldfish = range(start, start + space.part_counts['n01443537'])
    assert count >= 1 and all('GOLDFISH/' in line for line in listed)
    assert all(int(line.split()[0]) in goldfish for line in listed)
    assert lines[-1] == f'overlay written to {out}'
    assert osp.getsize(out) > 0
