# Copyright (c) mmpart contributors. All rights reserved.
import os.path as osp
from setuptools import find_packages, setup

HERE = osp.dirname(osp.abspath(__file__))


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


if __name__ == '__main__':
    setup(
        name='mmpart',
        version=get_version(),
        description='PartImageNet++ and the Multi-scale Part-supervised Model '
        'for OpenMMLab (mmpretrain / mmsegmentation)',
        long_description=open(osp.join(HERE, 'README.md')).read(),
        long_description_content_type='text/markdown',
        keywords='part segmentation, image classification, robustness',
        packages=find_packages(exclude=('configs', 'tools', 'tests')),
        include_package_data=True,
        package_data={'mmpart': ['datasets/meta/*.txt',
                                 'datasets/meta/*.tsv',
                                 'datasets/meta/*.json']},
        python_requires='>=3.8',
        license='Apache License 2.0',
        install_requires=parse_requirements('runtime'),
        extras_require={
            'all': parse_requirements('runtime') +
            parse_requirements('mminstall') + parse_requirements('tests'),
            'tests': parse_requirements('tests'),
            'mim': parse_requirements('mminstall'),
        },
        zip_safe=False)
