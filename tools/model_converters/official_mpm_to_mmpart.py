# Copyright (c) mmpart contributors. All rights reserved.
"""Convert a checkpoint of the paper's own MPM implementation to mmpart.

Example::

    python tools/model_converters/official_mpm_to_mmpart.py \\
        configs/mpm/mpm_resnet50-gelu_8xb64-stage2-at-80e_in1k-pinpp.py \\
        official_mpm.pth mpm_mmpart.pth

The config gives the mmpart model the weights are mapped onto (see
:mod:`mmpart.export.official_mpm` for the official layout). The
official file may hold an ``argparse.Namespace`` of training arguments; it
is the only type added to ``weights_only`` loading here. The EMA weights
(``state_dict_ema``) are converted, the raw ones with ``--no-ema``; asking
for EMA weights of a file without them is an error.
"""
import argparse
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmpart.export import convert_official_mpm
from mmpart.registry import MODELS
from mmpart.utils import checkpoint_weights, enable_verified_checkpoint_loaders


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config', help='an mmpart MPM config')
    parser.add_argument('src', help='the official checkpoint')
    parser.add_argument('dst', help='the mmpart checkpoint to write')
    parser.add_argument('--no-ema', action='store_true',
                        help='convert the raw weights (state_dict or model) '
                        'instead of the EMA ones (state_dict_ema)')
    return parser.parse_args()


def main():
    args = parse_args()
    enable_verified_checkpoint_loaders()
    with torch.serialization.safe_globals([argparse.Namespace]):
        checkpoint = torch.load(args.src, map_location='cpu')
    weights = checkpoint_weights(checkpoint, not args.no_ema, args.src)
    cfg = Config.fromfile(args.config)
    init_default_scope(cfg.get('default_scope', 'mmpart'))
    cfg.model.backbone.pop('init_cfg', None)
    model = MODELS.build(cfg.model)
    converted = convert_official_mpm(weights, model.state_dict())
    model.load_state_dict(converted, strict=True)
    torch.save(dict(state_dict=converted,
                    meta=dict(source=osp.basename(args.src))), args.dst)
    kind = 'raw' if args.no_ema else 'EMA'
    print(f'converted {len(converted)} tensors ({kind} weights) into '
          f'{args.dst}')


if __name__ == '__main__':
    main()
