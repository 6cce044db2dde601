# Copyright (c) mmpart contributors. All rights reserved.
from collections import Counter

import cv2
import numpy as np

from mmpart.converters import (annotation_mask, clip_polygon, encode_png,
                               paint_part_map, rasterize_annotations)


def test_clip_polygon():
    assert clip_polygon([1, 1, 5, 1, 5, 5], 10, 10) == (
        [1.0, 1.0, 5.0, 1.0, 5.0, 5.0], 'ok')
    assert clip_polygon([-2, 1, 12, 1, 5, 15], 10, 8) == (
        [0.0, 1.0, 10.0, 1.0, 5.0, 8.0], 'clipped')
    nan = float('nan')
    for bad in ([1, 2, 3, 4], [1, 2, 3, 4, 5, 6, 7], [1, 2, 3, 4, 5, nan],
                'abc'):
        assert clip_polygon(bad, 10, 10) == (None, 'invalid')


def test_paint_order_and_counts():
    square = [[2, 2, 8, 2, 8, 8, 2, 8]]
    inner = [[4, 4, 6, 4, 6, 6, 4, 6]]
    stats = Counter()
    sliver = [[3.2, 3.2, 3.4, 3.2, 3.4, 3.4]]
    masks = rasterize_annotations([(300, square), (301, inner), (302, []),
                                   (303, sliver)], 10, 10, stats)
    assert [gid for gid, _ in masks] == [300, 301]
    part_map = paint_part_map(masks, 10, 10)
    assert part_map.dtype == np.uint16
    assert part_map[5, 5] == 301 and part_map[3, 3] == 300
    assert part_map[0, 0] == 0
    assert stats == Counter(polygon_ok=3, annotation_empty=1,
                            annotation_no_pixels=1)
    assert annotation_mask(dict(counts='x', size=[5, 5]), 10, 10,
                           stats) is None
    assert stats['rle_size_mismatch'] == 1


def test_encode_png_keeps_16_bits():
    id_map = np.array([[0, 255], [3310, 65535]], np.uint16)
    decoded = cv2.imdecode(
        np.frombuffer(encode_png(id_map), np.uint8), cv2.IMREAD_UNCHANGED)
    assert decoded.dtype == np.uint16 and np.array_equal(decoded, id_map)
