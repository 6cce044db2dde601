# Copyright (c) mmpart contributors. All rights reserved.
import os
import os.path as osp
import shutil

import pytest

from mmpart.apis import init_part_segmentor
from mmpart.datasets import LabelSpace, PINPPLayout, read_pseudo_flags

#: Toy classes the pseudo-labelling tests use, and images of each.
NUM_CLASSES = 3
UNANNOTATED_PER_CLASS = 2
ANNOTATED_PER_CLASS = 1


@pytest.fixture(scope='module')
def segmenter(toy_segmenter):
    """The toy UPerNet with random weights, built as the tool builds it."""
    return init_part_segmentor(
        toy_segmenter['config'], toy_segmenter['checkpoint'],
        label_space=osp.join(toy_segmenter['root'], 'label_space.tsv'))


@pytest.fixture
def pseudo_data(toy_pinpp, toy_processed, tmp_path):
    """A small processed root and ImageNet train folder to pseudo-label.

    The root holds the label space and, for the first classes, their human
    masks and ``0`` lists (copies); the train folder links the first
    unannotated and annotated images of those classes and holds one file
    that is not an image.

    Returns:
        dict: ``data_root``, ``imagenet_train``, ``wnids``, ``unannotated``
        and ``annotated`` (``<wnid>/<file>`` lists), ``bad`` (the broken
        image) and ``label_space``.
    """
    toy_root, summary = toy_pinpp
    processed, _ = toy_processed
    data_root = tmp_path / 'pinpp'
    train = tmp_path / 'train'
    source = PINPPLayout(processed)
    wnids = summary['classes'][:NUM_CLASSES]
    os.makedirs(data_root)
    shutil.copy(source.label_space, data_root)
    unannotated, annotated = [], []
    for wnid in wnids:
        flags = read_pseudo_flags(source.pseudo_list(wnid))
        humans = sorted(flags)[:ANNOTATED_PER_CLASS]
        shutil.copytree(osp.join(processed, 'seg', wnid),
                        data_root / 'seg' / wnid)
        os.makedirs(data_root / 'whether_pseudo', exist_ok=True)
        shutil.copy(source.pseudo_list(wnid), data_root / 'whether_pseudo')
        files = sorted(os.listdir(osp.join(toy_root, 'train', wnid)))
        others = [f for f in files if f not in flags][:UNANNOTATED_PER_CLASS]
        os.makedirs(train / wnid)
        for name in humans + others:
            os.symlink(osp.join(toy_root, 'train', wnid, name),
                       train / wnid / name)
        unannotated += [f'{wnid}/{name}' for name in others]
        annotated += [f'{wnid}/{name}' for name in humans]
    bad = f'{wnids[1]}/{wnids[1]}_broken.JPEG'
    (train / bad).write_bytes(b'not an image')
    return dict(
        data_root=str(data_root),
        imagenet_train=str(train),
        wnids=wnids,
        unannotated=sorted(unannotated),
        annotated=sorted(annotated),
        bad=bad,
        label_space=LabelSpace.from_file(str(data_root / 'label_space.tsv')))


def tree_bytes(root: str, skip=('pseudo_label_records', )) -> dict:
    """Every file under ``root`` (but ``skip`` folders) and its bytes."""
    files = {}
    for dirpath, dirnames, names in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in skip)
        for name in names:
            path = osp.join(dirpath, name)
            with open(path, 'rb') as f:
                files[osp.relpath(path, root)] = f.read()
    return files
