# Copyright (c) mmpart contributors. All rights reserved.
"""Turn a training checkpoint into a model-zoo file.

Example::

    python tools/model_converters/publish_model.py \\
        work_dirs/mpm_resnet50-gelu_8xb64-stage2-at-80e_in1k-pinpp/best.pth \\
        zoo/ --ema --base-url https://example.org/mmpart/v0.1

writes ``zoo/mpm_resnet50-gelu_8xb64-stage2-at-80e_in1k-pinpp-<sha8>.pth``
(the name defaults to the checkpoint's folder, which is the config's stem in
an mmengine work dir; ``<sha8>`` is the first 8 hex digits of the file's
SHA-256) and prints the ``Weights:`` and ``SHA256:`` lines of its metafile
entry.

The file holds only ``state_dict`` and a small ``meta`` (``dataset_meta``
when the checkpoint has it, the mmpart version, the source file name); the
optimizer, schedulers, message hub, EMA state and the rest of the resume
state are dropped.

EMA: a checkpoint written by a runner with mmengine's ``EMAHook`` holds both
weights, swapped (``EMAHook.before_save_checkpoint``): ``state_dict`` is the
averaged model and ``ema_state_dict`` (``module.<key>`` entries plus
``steps``) the raw trained model. Without ``--ema`` the raw model is
published, with ``--ema`` the averaged one. The runner validates and tests
the averaged weights of such a run (``EMAHook`` swaps them in), so results
measured that way belong with ``--ema``.
"""
import argparse
import hashlib
import io
import os.path as osp
from collections import OrderedDict
from typing import Dict, Tuple

import torch

from mmpart import __version__
from mmpart.utils import enable_verified_checkpoint_loaders, load_from_local
from mmpart.utils.atomic_io import atomic_write_bytes

#: The prefix of the averaged model's keys in an ``ema_state_dict``
#: (``ExponentialMovingAverage.module``).
EMA_PREFIX = 'module.'


def model_weights(checkpoint: dict, filename: str,
                  ema: bool) -> 'OrderedDict[str, torch.Tensor]':
    """The model weights of a loaded checkpoint.

    Args:
        checkpoint (dict): A runner checkpoint (with ``state_dict``) or a
            bare state dict.
        filename (str): Its file, for messages.
        ema (bool): Take the ``EMAHook`` averaged weights instead of the
            raw model's.

    Returns:
        OrderedDict[str, Tensor]: The weights, in ``state_dict`` order.

    Raises:
        ValueError: The checkpoint holds no weights, ``ema`` is asked of a
            checkpoint without EMA weights, or its EMA weights do not match
            its model.
    """
    if 'state_dict' in checkpoint:
        state_dict = checkpoint['state_dict']
    elif checkpoint and all(
            isinstance(v, torch.Tensor) for v in checkpoint.values()):
        state_dict = checkpoint
    else:
        raise ValueError(
            f'{filename} holds no model weights: neither a `state_dict` '
            f'entry nor a bare state dict (its keys: {sorted(checkpoint)})')
    ema_state = checkpoint.get('ema_state_dict')
    if ema_state is None:
        if ema:
            raise ValueError(
                f'{filename} has no EMA weights (no `ema_state_dict`): it was '
                'not trained with EMAHook. Publish it without --ema.')
        return OrderedDict(state_dict)
    # EMAHook swapped the two before saving: `state_dict` is the average.
    if ema:
        return OrderedDict(state_dict)
    raw = {
        key[len(EMA_PREFIX):]: value
        for key, value in ema_state.items() if key.startswith(EMA_PREFIX)
    }
    unknown = sorted(set(raw) - set(state_dict))
    if unknown:
        raise ValueError(
            f'{filename}: `ema_state_dict` has weights that `state_dict` '
            f'lacks ({unknown[:5]}); it was not written by EMAHook for this '
            'model.')
    return OrderedDict(
        (key, raw.get(key, value)) for key, value in state_dict.items())


def publish_checkpoint(filename: str,
                       out_dir: str,
                       name: str = None,
                       ema: bool = False) -> Tuple[str, str]:
    """Write the model-zoo file of a checkpoint.

    Args:
        filename (str): The training checkpoint.
        out_dir (str): Where to write the published file (made if missing).
        name (str, optional): The published name, before the hash suffix.
            Defaults to the checkpoint's folder name.
        ema (bool): Publish the ``EMAHook`` averaged weights.

    Returns:
        tuple[str, str]: The written file ``OUT_DIR/<name>-<sha8>.pth`` and
        its full SHA-256.

    Raises:
        ValueError: A bad ``name``, or see :func:`model_weights`.
    """
    if name is None:
        name = osp.basename(osp.dirname(osp.abspath(filename)))
    if not name or osp.sep in name or name in ('.', '..'):
        raise ValueError(f'bad published name {name!r}: give a file name '
                         'without folders, e.g. the config stem (--name)')
    checkpoint = load_from_local(filename, map_location='cpu')
    meta: Dict = dict(
        mmpart_version=__version__, source=osp.basename(filename))
    dataset_meta = checkpoint.get('meta', {}).get('dataset_meta')
    if dataset_meta:
        meta['dataset_meta'] = dataset_meta
    published = dict(
        state_dict=model_weights(checkpoint, filename, ema), meta=meta)

    # The name depends on the hash: serialise in memory, hash, then write
    # atomically, so the published name never shows a partial file.
    buffer = io.BytesIO()
    torch.save(published, buffer)
    data = buffer.getvalue()
    sha256 = hashlib.sha256(data).hexdigest()
    path = osp.join(out_dir, f'{name}-{sha256[:8]}.pth')
    atomic_write_bytes(path, data)
    return path, sha256


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('checkpoint', help='the training checkpoint')
    parser.add_argument('out_dir', help='where to write the published file')
    parser.add_argument(
        '--ema',
        action='store_true',
        help='publish the EMAHook averaged weights (the ones the runner '
        'validated) instead of the raw model')
    parser.add_argument(
        '--name',
        help='published name before -<sha8>.pth (default: the checkpoint\'s '
        'folder name, the config stem in an mmengine work dir)')
    parser.add_argument(
        '--base-url',
        help='the URL folder the file will be served from, for the printed '
        'Weights: line (default: the bare file name)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    enable_verified_checkpoint_loaders()
    path, sha256 = publish_checkpoint(args.checkpoint, args.out_dir, args.name,
                                      args.ema)
    file_name = osp.basename(path)
    weights = (f'{args.base_url.rstrip("/")}/{file_name}'
               if args.base_url else file_name)
    kind = 'EMA' if args.ema else 'model'
    print(f'published the {kind} weights of {args.checkpoint} as {path}\n'
          f'Weights: {weights}\nSHA256: {sha256}')


if __name__ == '__main__':
    main()
