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
weights (:func:`mmpart.utils.checkpoint_weights` picks one). Without
``--ema`` the raw model is published, with ``--ema`` the averaged one. The
runner validates and tests the averaged weights of such a run (``EMAHook``
swaps them in), so results measured that way belong with ``--ema``.
"""
import argparse
import hashlib
import io
import os.path as osp
from typing import Dict, Tuple

import torch

from mmpart import __version__
from mmpart.utils import (checkpoint_weights,
                          enable_verified_checkpoint_loaders, load_from_local)
from mmpart.utils.atomic_io import atomic_write_bytes


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
        ValueError: A bad ``name``, or the weights asked for are not in
            the checkpoint (see :func:`mmpart.utils.checkpoint_weights`).
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
        state_dict=checkpoint_weights(checkpoint, ema, filename), meta=meta)

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
