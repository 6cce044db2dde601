# Copyright (c) mmpart contributors. All rights reserved.
"""Check an image of the release before its maps are written.

Training decodes images with cv2 (mmcv's ``LoadImageFromFile``), whose
libjpeg decodes a damaged JPEG with wrong pixels and only prints "Corrupt
JPEG data" or "Premature end of JPEG file" to stderr. The check decodes with
the same decoder and reads those messages, so such an image is counted in the
converter's report instead of training silently.
"""
import os
import sys
import tempfile
from typing import Optional, Tuple

import cv2
import numpy as np

#: Skip reasons: no file, not decodable, decoded with libjpeg warnings, and
#: another size than the annotation says.
IMAGE_MISSING = 'image_missing'
IMAGE_UNREADABLE = 'image_unreadable'
IMAGE_CORRUPT = 'image_corrupt'
IMAGE_SIZE_MISMATCH = 'image_size_mismatch'
#: libjpeg's warnings that mean wrong pixels (its JWRN_* messages on bad
#: entropy data and a cut file). Other decoder messages (libpng's iCCP
#: warnings, an unknown JFIF revision) leave the pixels right.
DAMAGED_DATA_MESSAGES = ('Corrupt JPEG data', 'Premature end of JPEG file')


def decode_with_messages(data: bytes) -> Tuple[Optional[np.ndarray], str]:
    """Decode an image with cv2 and catch what its decoders print.

    The decoders write warnings to the process's stderr (file descriptor
    2), which Python cannot catch otherwise, so it is pointed at a
    temporary file during the decode. A converter worker decodes one image
    at a time, so nothing else is writing to stderr meanwhile.

    Args:
        data (bytes): The file's bytes.

    Returns:
        tuple: The image (``IMREAD_UNCHANGED``, EXIF orientation ignored),
        or None where cv2 cannot decode it, and the decoder's messages.
    """
    buffer = np.frombuffer(data, np.uint8)
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as messages:
        os.dup2(messages.fileno(), 2)
        try:
            image = cv2.imdecode(buffer, cv2.IMREAD_UNCHANGED) \
                if buffer.size else None
        except cv2.error:
            image = None
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        messages.seek(0)
        text = messages.read().decode('utf-8', 'replace').strip()
    return image, text


def check_image(path: str, width: int, height: int) -> Optional[str]:
    """Why an image cannot be converted, or None if it can.

    Args:
        path (str): The image.
        width (int): Width its annotation gives.
        height (int): Height its annotation gives.

    Returns:
        str, optional: :data:`IMAGE_MISSING`, :data:`IMAGE_UNREADABLE`,
        :data:`IMAGE_CORRUPT` (decoded, but libjpeg warned of damaged data,
        :data:`DAMAGED_DATA_MESSAGES`) or :data:`IMAGE_SIZE_MISMATCH`;
        None for a good image.
    """
    if not os.path.isfile(path):
        return IMAGE_MISSING
    with open(path, 'rb') as f:
        image, messages = decode_with_messages(f.read())
    if image is None:
        return IMAGE_UNREADABLE
    if any(m in messages for m in DAMAGED_DATA_MESSAGES):
        return IMAGE_CORRUPT
    if image.shape[:2] != (height, width):
        return IMAGE_SIZE_MISMATCH
    return None
