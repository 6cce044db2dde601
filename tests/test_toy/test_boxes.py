# Copyright (c) mmpart contributors. All rights reserved.
import numpy as np
import pycocotools.mask as mask_utils

from mmpart.toy.boxes import box_rle, random_box


def test_random_boxes_stay_inside_with_the_shortest_side():
    rng = np.random.default_rng(0)
    for _ in range(200):
        x, y, w, h = random_box(rng, 20, min_side=5)
        assert 5 <= w < 20 and 5 <= h < 20
        assert 0 <= x and x + w <= 20 and 0 <= y and y + h <= 20


def test_box_rle_decodes_to_the_rectangle():
    rle = box_rle([2, 3, 4, 5], 10)
    assert isinstance(rle['counts'], str) and rle['size'] == [10, 10]
    mask = mask_utils.decode(dict(size=rle['size'],
                                  counts=rle['counts'].encode()))
    expected = np.zeros((10, 10), np.uint8)
    expected[3:8, 2:6] = 1
    np.testing.assert_array_equal(mask, expected)
