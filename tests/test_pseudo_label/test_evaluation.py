# Copyright (c) mmpart contributors. All rights reserved.
import json
import os
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest

from mmpart.datasets import PINPPLayout
from mmpart.pseudo_label import score_pseudo_labels
from ..conftest import PROJECT_ROOT

X = 65535  # ignored

#: key: (human mask, pseudo mask or None). By hand, over the pixels that
#: neither mask ignores:
#:   a: class 0 I=3 U=4, class 1 I=3 U=4 (7 of 8 labelled pixels covered)
#:   b: class 0 I=1 U=3, class 2 I=2 U=3, class 3 I=0 U=1 (5 of 5)
#:   c: no pseudo mask (0 of 4)
#: IoU: 0 4/7, 1 3/4, 2 2/3, 3 0 -> mIoU 49.70; aAcc 9/12; coverage 12/17.
MASKS = {
    'n0/a': ([[0, 0, 1, 1], [0, 0, 1, 1]], [[0, 1, 1, 1], [0, 0, 1, X]]),
    'n0/b': ([[2, 2, X], [0, 2, 0]], [[2, 0, 2], [0, 2, 3]]),
    'n1/c': ([[0, 0], [0, 0]], None),
}


def write_map(root, key, rows):
    """Write ``rows`` as the 16-bit ``seg/<key>.png`` under ``root``."""
    path = PINPPLayout(str(root)).seg_map(*key.split('/'))
    os.makedirs(osp.dirname(path), exist_ok=True)
    assert cv2.imwrite(path, np.array(rows, dtype=np.uint16))
    return path


@pytest.fixture
def roots(tmp_path):
    gt_root, pred_root = tmp_path / 'gt', tmp_path / 'pred'
    for key, (gt, pred) in MASKS.items():
        write_map(gt_root, key, gt)
        if pred is not None:
            write_map(pred_root, key, pred)
    return str(pred_root), str(gt_root)


def test_score_by_hand(roots):
    scores = score_pseudo_labels(*roots, sorted(MASKS), num_classes=4)
    miou = 100 * (4 / 7 + 3 / 4 + 2 / 3 + 0) / 4
    assert scores == dict(
        mIoU=round(miou, 2),
        aAcc=75.0,
        coverage=round(100 * 12 / 17, 2),
        images=3,
        missing=['n1/c'])
    assert scores['mIoU'] == 49.7


def test_absent_classes_are_dropped(roots):
    # Image a alone: classes 2..9 have no pixel in either mask, so only
    # classes 0 and 1 (IoU 3/4 each) are averaged.
    scores = score_pseudo_labels(*roots, ['n0/a'], num_classes=10)
    assert scores['mIoU'] == 75.0
    assert scores['aAcc'] == round(100 * 6 / 7, 2)
    assert scores['coverage'] == 87.5 and scores['missing'] == []


def test_nothing_scored(roots):
    scores = score_pseudo_labels(*roots, ['n1/c'], num_classes=4)
    assert scores == dict(
        mIoU=None, aAcc=None, coverage=0.0, images=1, missing=['n1/c'])


def test_errors_name_the_value(roots):
    pred_root, gt_root = roots
    with pytest.raises(ValueError, match=r'b.png holds part id 3, neither '
                       r'a class \(below num_classes=3\)'):
        score_pseudo_labels(pred_root, gt_root, ['n0/b'], num_classes=3)
    with pytest.raises(FileNotFoundError, match='n2/d has no human mask'):
        score_pseudo_labels(pred_root, gt_root, ['n2/d'], num_classes=4)
    write_map(pred_root, 'n1/c', [[0, 0, 0]])
    with pytest.raises(ValueError, match=r'shape \(1, 3\)'):
        score_pseudo_labels(pred_root, gt_root, ['n1/c'], num_classes=4)


@pytest.mark.slow
def test_eval_pseudo_labels_cli(roots, tmp_path):
    pred_root, gt_root = roots
    os.makedirs(osp.join(gt_root, 'splits'))
    with open(osp.join(gt_root, 'splits', 'val.txt'), 'w') as f:
        f.write('n0/a\nn0/b\n')
    test_list = tmp_path / 'test.txt'
    test_list.write_text('n1/c\n')
    out = tmp_path / 'scores.json'
    proc = subprocess.run(
        [sys.executable, 'tools/analysis_tools/eval_pseudo_labels.py',
         pred_root, '--gt-root', gt_root, '--split', 'splits/val.txt',
         str(test_list), '--num-classes', '4', '--out', str(out)],
        cwd=PROJECT_ROOT, env=dict(os.environ, PYTHONPATH=PROJECT_ROOT),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:]
    scores = json.loads(out.read_text())
    assert json.loads(proc.stdout) == scores
    assert (scores['mIoU'], scores['coverage'], scores['missing']) == (
        49.7, 70.59, ['n1/c'])
