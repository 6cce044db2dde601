# Copyright (c) mmpart contributors. All rights reserved.
import contextlib
import os
import os.path as osp
import shutil
import sys
from setuptools import find_packages, setup
from typing import Iterator

HERE = osp.dirname(osp.abspath(__file__))

# What mim and mmpart.apis read from an installed mmpart (mmpart/.mim/...).
MIM_FILES = ('configs', 'tools', 'model-index.yml')


def get_version() -> str:
    """Read ``__version__`` from ``mmpart/version.py`` without importing."""
    scope = {}
    with open(osp.join(HERE, 'mmpart', 'version.py')) as f:
        exec(compile(f.read(), 'version.py', 'exec'), scope)
    return scope['__version__']


def parse_requirements(name: str) -> list:
    """Read ``requirements/<name>.txt``: one requirement a line.

    Args:
        name (str): The file's stem, e.g. ``'runtime'``.

    Returns:
        list[str]: The requirement strings, comments and blanks dropped.
    """
    path = osp.join(HERE, 'requirements', f'{name}.txt')
    with open(path) as f:
        lines = (line.split('#', 1)[0].strip() for line in f)
        return [line for line in lines if line]


@contextlib.contextmanager
def mim_extension() -> Iterator[None]:
    """Put the configs, the tools and the model index into ``mmpart/.mim``,
    where mim (``mim search mmpart``, ``mim train mmpart ...``) and
    :mod:`mmpart.apis` look for them in an installed mmpart.

    As mmpretrain's ``add_mim_extension``: an editable install (``pip
    install -e .`` runs ``editable_wheel``, PEP 660; ``develop`` before it)
    gets symlinks, which stay, so edits show at once; a wheel, an sdist or a
    plain build gets copies, as a wheel cannot hold links. Unlike
    mmpretrain, the copies are removed when the command is done: left in the
    source tree they would go stale and shadow the tree's own index. A link
    that already points at its source is kept and read through. Other
    commands (``egg_info``, ``dist_info``, ...) leave ``mmpart/.mim`` alone.

    Yields:
        None: While ``setup()`` runs.
    """
    if 'develop' in sys.argv or 'editable_wheel' in sys.argv:
        # Windows needs privileges for symlinks.
        mode = 'copy' if os.name == 'nt' else 'symlink'
    elif {'bdist_wheel', 'sdist', 'build'} & set(sys.argv):
        mode = 'copy'
    else:
        yield
        return

    mim_path = osp.join(HERE, 'mmpart', '.mim')
    os.makedirs(mim_path, exist_ok=True)
    copies = []
    try:
        for name in MIM_FILES:
            src_path = osp.join(HERE, name)
            tar_path = osp.join(mim_path, name)
            if not osp.exists(src_path):
                raise FileNotFoundError(
                    f'{src_path} is missing: mmpart/.mim needs it')
            if osp.islink(tar_path) and \
                    osp.realpath(tar_path) == osp.realpath(src_path):
                continue
            _remove(tar_path)

            if mode == 'symlink':
                os.symlink(osp.relpath(src_path, mim_path), tar_path)
                continue
            copies.append(tar_path)
            if osp.isdir(src_path):
                shutil.copytree(
                    src_path, tar_path,
                    ignore=shutil.ignore_patterns('__pycache__', '*.pyc'))
            else:
                shutil.copyfile(src_path, tar_path)
        yield
    finally:
        for path in copies:
            _remove(path)
        if not os.listdir(mim_path):
            os.rmdir(mim_path)


def _remove(path: str) -> None:
    """Remove a file or a folder tree if it exists (links not followed)."""
    if osp.isdir(path) and not osp.islink(path):
        shutil.rmtree(path)
    elif osp.lexists(path):
        os.remove(path)


if __name__ == '__main__':
    with mim_extension():
        setup(
            name='mmpart',
            version=get_version(),
            description='PartImageNet++ and the Multi-scale Part-supervised '
            'Model for OpenMMLab (mmpretrain / mmsegmentation)',
            long_description=open(osp.join(HERE, 'README.md')).read(),
            long_description_content_type='text/markdown',
            keywords='part segmentation, image classification, robustness',
            packages=find_packages(
                exclude=('configs', 'configs.*', 'tools', 'tools.*', 'tests',
                         'tests.*')),
            include_package_data=True,
            package_data={
                'mmpart': [
                    'datasets/meta/*.txt',
                    'datasets/meta/*.tsv',
                    'datasets/meta/*.json',
                    '.mim/model-index.yml',
                    '.mim/configs/**/*.py',
                    '.mim/configs/**/*.yml',
                    '.mim/configs/**/*.md',
                    '.mim/tools/**/*.py',
                    '.mim/tools/**/*.sh',
                ]
            },
            python_requires='>=3.8',
            license='Apache License 2.0',
            install_requires=parse_requirements('runtime'),
            extras_require={
                'all': parse_requirements('runtime') +
                parse_requirements('mminstall') +
                parse_requirements('tests') + parse_requirements('mim'),
                'tests': parse_requirements('tests'),
                'mim': parse_requirements('mim'),
            },
            zip_safe=False)
