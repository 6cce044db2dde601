# Copyright (c) mmpart contributors. All rights reserved.
import cv2
import numpy as np

from mmpart.converters.image_check import (IMAGE_CORRUPT, IMAGE_MISSING,
                                           IMAGE_SIZE_MISMATCH,
                                           IMAGE_UNREADABLE, check_image,
                                           decode_with_messages)


def test_check_image(tmp_path):
    rng = np.random.default_rng(0)
    img = cv2.GaussianBlur(
        (rng.random((48, 64, 3)) * 255).astype(np.uint8), (5, 5), 0)
    data = cv2.imencode('.jpg', img)[1].tobytes()
    half = len(data) // 2
    files = dict(
        good=data, empty=b'', truncated=data[:half],
        damaged=data[:half] + bytes(range(200)) + data[half + 200:])
    for name, content in files.items():
        (tmp_path / f'{name}.JPEG').write_bytes(content)

    def check(name, size=(64, 48)):
        return check_image(str(tmp_path / f'{name}.JPEG'), *size)

    assert check('good') is None
    assert check('good', (48, 64)) == IMAGE_SIZE_MISMATCH
    assert check('missing') == IMAGE_MISSING
    assert check('empty') == IMAGE_UNREADABLE
    assert check('truncated') == IMAGE_UNREADABLE
    # Decoded with wrong pixels; libjpeg only prints "Corrupt JPEG data".
    assert check('damaged') == IMAGE_CORRUPT
    image, messages = decode_with_messages(files['damaged'])
    assert image.shape == (48, 64, 3) and 'Corrupt JPEG data' in messages
    assert decode_with_messages(data)[1] == ''
