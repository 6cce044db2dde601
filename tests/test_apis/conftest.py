# Copyright (c) mmpart contributors. All rights reserved.
import os.path as osp


def toy_image(data_root: str) -> str:
    """The first val image of the converted toy set."""
    with open(osp.join(data_root, 'splits', 'val.txt')) as f:
        key = f.readline().strip()
    return osp.join(data_root, 'img', key + '.JPEG')
