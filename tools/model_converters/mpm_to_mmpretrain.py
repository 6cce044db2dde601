# Copyright (c) mmpart contributors. All rights reserved.
"""Export an MPM (or any mmpart classifier) checkpoint as a plain mmpretrain
classifier: the part bypass is dropped, the config needs no mmpart.

Example::

    python tools/model_converters/mpm_to_mmpretrain.py \\
        configs/mpm/mpm_resnet50-gelu_8xb64-stage2-at-80e_in1k-pinpp.py \\
        work_dirs/.../best_robust_top1_epoch_80.pth work_dirs/export --ema

writes ``export/<name>.py`` and ``export/<name>.pth``, usable with
vanilla mmpretrain (``mmpretrain.get_model(cfg, pretrained=pth)``). A
ResNet-GELU backbone is expressed as mmpretrain's ``TIMMBackbone``, so timm
must be installed where it is loaded. The weights are the checkpoint's
raw model's, or with ``--ema`` the ``EMAHook`` averaged ones (the ones the
runner validated and tested; see :func:`mmpart.utils.checkpoint_weights`,
an error if the checkpoint has none); its
``meta.dataset_meta`` (class names) is kept for mmpretrain's inferencers. See
:mod:`mmpart.export.plain_classifier` for what is exported and how.
"""
import argparse
import os
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.runner.checkpoint import CheckpointLoader

from mmpart.export import export_plain_classifier
from mmpart.utils import (checkpoint_weights,
                          enable_verified_checkpoint_loaders, has_ema_weights)


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config', help='the mmpart training config')
    parser.add_argument('checkpoint', help='the mmpart checkpoint')
    parser.add_argument('out_dir', help='where to write config and weights')
    parser.add_argument('--name', help='output name (default: config name)')
    parser.add_argument(
        '--ema',
        action='store_true',
        help='export the EMAHook averaged weights (the ones the runner '
        'validated and tested) instead of the raw model')
    return parser.parse_args()


def main():
    args = parse_args()
    enable_verified_checkpoint_loaders()
    cfg = Config.fromfile(args.config)
    checkpoint = CheckpointLoader.load_checkpoint(
        args.checkpoint, map_location='cpu')
    state_dict = checkpoint_weights(checkpoint, args.ema, args.checkpoint)
    plain_cfg, weights = export_plain_classifier(cfg, state_dict)
    name = args.name or osp.splitext(osp.basename(args.config))[0]
    os.makedirs(args.out_dir, exist_ok=True)
    cfg_path = osp.join(args.out_dir, f'{name}.py')
    ckpt_path = osp.join(args.out_dir, f'{name}.pth')
    Config(plain_cfg.to_dict()).dump(cfg_path)
    meta = dict(source_config=args.config, source_checkpoint=args.checkpoint)
    if 'dataset_meta' in checkpoint.get('meta', {}):
        meta['dataset_meta'] = checkpoint['meta']['dataset_meta']
    torch.save(dict(state_dict=weights, meta=meta), ckpt_path)
    dropped = len(state_dict) - len(weights)
    kind = 'EMA' if args.ema else 'raw'
    hint = (' (it also holds EMA weights, the ones its runner validated: '
            '--ema)' if not args.ema and has_ema_weights(checkpoint) else '')
    print(f'exported the {kind} weights{hint}: {len(weights)} tensors '
          f'({dropped} training-only dropped)'
          f'\nconfig:     {cfg_path}\ncheckpoint: {ckpt_path}')


if __name__ == '__main__':
    main()
