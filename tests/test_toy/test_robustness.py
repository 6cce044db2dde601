# Copyright (c) mmpart contributors. All rights reserved.
"""The toy robustness root: the ImageNet-A-Plus folder."""
import os
import os.path as osp

import cv2
import numpy as np

from mmpart.datasets import IMAGENET_A_WNIDS, read_wnid_list
from mmpart.toy import make_toy_robustness_root


def _files(root):
    return sorted(
        osp.relpath(osp.join(dirpath, name), root)
        for dirpath, _, names in os.walk(root) for name in names)


def test_imagenet_a_plus_crops_the_imagenet_a_images(toy_pinpp, tmp_path):
    data_root, done = toy_pinpp
    out = str(tmp_path)
    counts = make_toy_robustness_root(
        data_root, out, per_class=2,
        skip=('imagenet-c', 'imagenet-r', 'imagenet-sketch',
              'stylized-imagenet', 'cue-conflict'))
    a_classes = set(done['classes']) & set(read_wnid_list(IMAGENET_A_WNIDS))
    assert len(a_classes) == 1
    assert counts['imagenet-a-plus'] == counts['imagenet-a'] == 2
    a_plus = _files(osp.join(out, 'imagenet-a-plus'))
    # The same images, in the same <wnid>/<file> folders.
    assert a_plus == _files(osp.join(out, 'imagenet-a'))
    assert {path.split(os.sep)[0] for path in a_plus} == a_classes
    for path in a_plus:
        full = cv2.imread(osp.join(out, 'imagenet-a', path)).astype(float)
        crop = cv2.imread(osp.join(out, 'imagenet-a-plus', path))
        h, w = crop.shape[:2]
        # A box of another aspect ratio than the square image, around the
        # centre: one side 85 %, the other 55 to 70 %.
        assert full.shape[:2] == (96, 96)
        assert sorted((h, w))[1] == int(0.85 * 96)
        assert int(0.55 * 96) <= min(h, w) <= int(0.7 * 96)
        # A window of the ImageNet-A image, occluder included (up to the
        # two JPEG encodings).
        errors = {(top, left): np.abs(full[top:top + h, left:left + w] -
                                      crop).mean()
                  for top in range(96 - h + 1) for left in range(96 - w + 1)}
        (top, left), error = min(errors.items(), key=lambda item: item[1])
        assert error < 3 and abs(top - (96 - h) // 2) <= 2 and abs(
            left - (96 - w) // 2) <= 2, (top, left, error)
