# Copyright (c) mmpart contributors. All rights reserved.
import os.path as osp

import pytest
import torch
from mmengine.runner import save_checkpoint

from mmpart.apis import init_part_segmentor
from mmpart.visualization import random_palette
from ..conftest import write_toy_config

#: A stock mmseg segmenter (EncoderDecoder) and a PartEncoderDecoder.
FCN_CONFIG = 'configs/toy/fcn_r18-d8_1xb16-200i_toy-pinpp-parts-96x96.py'
UPERNET_CONFIG = 'configs/toy/upernet_r18_1xb16-300i_toy-pinpp-parts-96x96.py'


def toy_image(data_root: str) -> str:
    """The first val image of the converted toy set."""
    with open(osp.join(data_root, 'splits', 'val.txt')) as f:
        key = f.readline().strip()
    return osp.join(data_root, 'img', key + '.JPEG')


@pytest.fixture(scope='session')
def toy_segmenter(toy_processed, tmp_path_factory):
    """The toy UPerNet (a PartEncoderDecoder) with random weights, saved
    with class names of its own.

    Returns:
        dict: ``config``, ``fcn_config`` (the stock FCN), ``checkpoint``,
        ``model`` (the one saved), ``classes`` (the saved names), ``root``.
    """
    root, _ = toy_processed
    work = tmp_path_factory.mktemp('part_seg_api')
    config = write_toy_config(work / 'upernet.py', UPERNET_CONFIG, root)
    fcn_config = write_toy_config(work / 'fcn.py', FCN_CONFIG, root)
    torch.manual_seed(0)
    model = init_part_segmentor(config)
    # Random BN statistics, so random weights predict many parts.
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.running_mean.uniform_(-0.5, 0.5)
            module.running_var.uniform_(0.5, 2)
    classes = [name.upper() for name in model.dataset_meta['classes']]
    checkpoint = str(work / 'model.pth')
    save_checkpoint(
        dict(
            state_dict=model.state_dict(),
            meta=dict(
                dataset_meta=dict(
                    classes=classes, palette=random_palette(len(classes))))),
        checkpoint)
    return dict(config=config, fcn_config=fcn_config, checkpoint=checkpoint,
                model=model, classes=classes, root=root)
