# Copyright (c) mmpart contributors. All rights reserved.
"""Download model-zoo checkpoints and their configs, like ``mim download``.

Example::

    python tools/misc/download_model.py --list
    python tools/misc/download_model.py MODEL_NAME --dest checkpoints/
    python tools/misc/download_model.py --all --dest /shared/mmpart-zoo

For each model of mmpart's index (``model-index.yml``), the checkpoint is
downloaded into the cache and verified against the index's SHA-256
(:func:`mmpart.utils.checkpoint_download.download_checkpoint`: resumable,
``MMPART_HOME``, ``MMPART_OFFLINE`` and ``MMPART_MODEL_ZOO_MIRROR`` apply),
then hard-linked (or copied, across file systems) into ``--dest`` under its
original file name, and the model's config is written beside it as
``<name>.py`` with its bases merged in. ``--all`` fetches every model with
weights: a folder filled this way and served flat by file name is what
``MMPART_MODEL_ZOO_MIRROR`` expects.
"""
import argparse
import os
import os.path as osp
import shutil
import sys
from typing import List

from mmengine.config import Config

from mmpart.utils.atomic_io import atomic_write_bytes, temporary_path
from mmpart.utils.checkpoint_download import (CheckpointDownloadError,
                                              download_checkpoint,
                                              url_file_name)
from mmpart.utils.model_index import ModelHub


def place_file(src: str, dst: str) -> None:
    """Put ``src`` at ``dst``: a hard link, or a copy where links fail.

    The link or copy is made under a temporary name and renamed, so ``dst``
    is never partial.

    Args:
        src (str): The existing file.
        dst (str): Its new path.
    """
    if osp.exists(dst) and osp.samefile(src, dst):
        return
    tmp = temporary_path(dst)
    try:
        try:
            os.link(src, tmp)
        except OSError:  # another file system, or links not supported
            shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
    finally:
        if osp.exists(tmp):
            os.remove(tmp)


def download_model(name: str, dest: str) -> List[str]:
    """Download one model's checkpoint and config into ``dest``.

    Args:
        name (str): A model name of the index.
        dest (str): The destination folder (made if missing).

    Returns:
        list[str]: The checkpoint and config paths written.

    Raises:
        ValueError: See :meth:`ModelHub.get_with_weights`.
        CheckpointDownloadError: The download or its verification failed.
    """
    model = ModelHub.get_with_weights(name)
    cached = download_checkpoint(
        model.weights, sha256=model.data.get('SHA256'))
    os.makedirs(dest, exist_ok=True)
    checkpoint = osp.join(dest, url_file_name(model.weights))
    place_file(cached, checkpoint)
    config = osp.join(dest, f'{model.name}.py')
    atomic_write_bytes(config, Config.fromfile(model.config).dump().encode())
    return [checkpoint, config]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        'names', nargs='*', metavar='NAME', help='model names (see --list)')
    parser.add_argument(
        '--dest',
        default='.',
        help='where to put checkpoints and configs '
        '(default: the current folder)')
    parser.add_argument(
        '--all', action='store_true', help='every model that has weights')
    parser.add_argument(
        '--list',
        action='store_true',
        help='list the models with and without weights')
    args = parser.parse_args(argv)
    if not (args.names or args.all or args.list):
        parser.error('give model names, --all or --list')
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    models = [ModelHub.get(name) for name in ModelHub.names()]
    with_weights = [m.name for m in models if m.weights is not None]
    if args.list:
        without = [m.name for m in models if m.weights is None]
        print(f'with weights ({len(with_weights)}):')
        print(''.join(f'  {name}\n' for name in with_weights), end='')
        print(f'without weights ({len(without)}):')
        print(''.join(f'  {name}\n' for name in without), end='')
    names = with_weights if args.all else args.names
    if args.all and not with_weights:
        print('no model of the index has weights yet')
    try:
        for name in names:  # check every name before downloading any
            ModelHub.get_with_weights(name)
        for name in names:
            written = download_model(name, args.dest)
            print(f'{name}: ' + ', '.join(written))
    except (ValueError, CheckpointDownloadError) as error:
        print(f'error: {error}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
