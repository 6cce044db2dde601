# Copyright (c) mmpart contributors. All rights reserved.
import io
import struct
import zlib
from collections import Counter

import cv2
import numpy as np
import pytest
from PIL import Image

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


@pytest.mark.parametrize('dtype', [np.uint16, np.uint8])
def test_encode_png_keeps_the_ids(dtype):
    rng = np.random.default_rng(0)
    id_map = rng.integers(0, np.iinfo(dtype).max + 1, (37, 53)).astype(dtype)
    id_map[0, :2] = [0, np.iinfo(dtype).max]
    data = encode_png(id_map)
    decoded = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    assert decoded.dtype == dtype and np.array_equal(decoded, id_map)
    # An independent decoder reads the same ids.
    with Image.open(io.BytesIO(data)) as image:
        assert image.mode == ('I;16' if dtype == np.uint16 else 'L')
        assert np.array_equal(np.asarray(image).astype(dtype), id_map)


def test_encode_png_writes_unfiltered_rows():
    """The loaders' decoding speed depends on it (see encode_png)."""
    id_map = np.zeros((20, 30), np.uint16)
    id_map[5:15, 10:25] = 3310
    data = encode_png(id_map)
    pos, idat = 8, b''
    while pos < len(data):
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        if kind == b'IDAT':
            idat += data[pos + 8:pos + 8 + length]
        pos += length + 12
    rows = np.frombuffer(zlib.decompress(idat), np.uint8).reshape(20, -1)
    assert rows.shape[1] == 1 + 2 * 30 and not rows[:, 0].any()


def test_encode_png_rejects_other_maps():
    for id_map in (np.zeros((2, 2), np.int32), np.zeros((2, 2, 3), np.uint8),
                   np.zeros((0, 4), np.uint16)):
        with pytest.raises(ValueError, match='PNG encoding needs'):
            encode_png(id_map)
