# Copyright (c) mmpart contributors. All rights reserved.
import os
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest

from mmpart.datasets import (ImageNetListDataset, LabelSpace, PINPPClsDataset,
                             PINPPObjectSegDataset, PINPPPartSegDataset,
                             load_part_counts)
from ..conftest import PROJECT_ROOT


def test_part_seg_dataset(toy_pinpp, toy_processed):
    _, done = toy_pinpp
    out, _ = toy_processed
    pipeline = [dict(type='LoadImageFromFile'), dict(type='LoadPartMap')]
    dataset = PINPPPartSegDataset(data_root=out, ann_file='splits/val.txt',
                                  pipeline=pipeline)
    counts = load_part_counts(osp.join(toy_pinpp[0], 'meta',
                                       'part_counts.tsv'))
    classes = dataset.metainfo['classes']
    assert len(classes) == 1 + sum(counts.values())
    assert classes[0] == 'background' and classes[1] == 'tench/body'
    assert len(dataset.metainfo['palette']) == len(classes)
    assert len(dataset) == 20
    sample = dataset[5]
    wnid = osp.basename(osp.dirname(sample['img_path']))
    assert sample['object_label'] == done['classes'].index(wnid)
    assert sample['img'].shape == (96, 96, 3)
    ids = np.unique(sample['gt_seg_map'])
    assert ids[0] == 0 and len(ids) > 1 and ids.max() < len(classes)


def test_part_seg_dataset_groups_parts_by_object(toy_pinpp, toy_processed):
    """``part_id_range`` per sample and ``part_objects`` / ``objects`` in
    the metainfo, checked against the toy set's part-count table."""
    root, done = toy_pinpp
    out, _ = toy_processed
    dataset = PINPPPartSegDataset(
        data_root=out, ann_file='splits/val.txt',
        pipeline=[dict(type='LoadImageFromFile'), dict(type='LoadPartMap')])
    counts = load_part_counts(osp.join(root, 'meta', 'part_counts.tsv'))
    wnids = list(counts)
    assert wnids == done['classes']
    starts = np.cumsum([1] + list(counts.values()))
    meta = dataset.metainfo
    assert meta['objects'] == dataset.label_space.object_names
    assert len(meta['objects']) == 10
    expected = [-1]
    for label, count in enumerate(counts.values()):
        expected += [label] * count
    assert meta['part_objects'] == tuple(expected)
    for name, label in zip(meta['classes'][1:], meta['part_objects'][1:]):
        assert name.startswith(meta['objects'][label] + '/')
    for index in range(0, len(dataset), 3):
        sample = dataset[index]
        label = sample['object_label']
        start, stop = sample['part_id_range']
        assert (start, stop) == (starts[label], starts[label + 1])
        ids = np.unique(sample['gt_seg_map'])
        assert ids[0] == 0 and ids[1] >= start and ids[-1] < stop
        assert set(meta['part_objects'][i] for i in ids[1:]) == {label}


def test_object_seg_dataset(toy_pinpp, toy_processed):
    _, done = toy_pinpp
    out, _ = toy_processed
    dataset = PINPPObjectSegDataset(
        data_root=out, ann_file='splits/test.txt',
        pipeline=[dict(type='LoadImageFromFile'), dict(type='LoadPartMap')])
    assert len(dataset.metainfo['classes']) == 11
    sample = dataset[0]
    assert set(np.unique(sample['gt_seg_map'])) == {
        0, sample['object_label'] + 1}
    assert 'part_id_range' not in sample
    assert 'part_objects' not in dataset.metainfo


def test_official_label_space_sizes(tmp_path):
    """3311 part classes and 1001 object classes with the official table."""
    LabelSpace.from_part_counts(load_part_counts()).write(
        str(tmp_path / 'label_space.tsv'))
    (tmp_path / 'empty.txt').write_text('')
    kwargs = dict(data_root=str(tmp_path), ann_file='empty.txt',
                  lazy_init=True)
    part = PINPPPartSegDataset(**kwargs).metainfo
    assert len(part['classes']) == len(part['palette']) == 3311
    assert part['palette'][0] == [0, 0, 0]
    assert len(part['part_objects']) == 3311 and len(part['objects']) == 1000
    assert part['part_objects'][-1] == 999
    assert len(PINPPObjectSegDataset(**kwargs).metainfo['classes']) == 1001


def test_cls_dataset_human_and_pseudo_maps(toy_pinpp, toy_processed,
                                           tmp_path):
    root, done = toy_pinpp
    out, _ = toy_processed
    dataset = PINPPClsDataset(
        data_root=out, ann_file=osp.join(root, 'meta', 'train.txt'),
        label_space='label_space.tsv')
    assert len(dataset) == 500
    assert len(dataset.metainfo['classes']) == 10
    with_map = [dataset.get_data_info(i) for i in range(len(dataset))
                if dataset.get_data_info(i)['seg_map_path']]
    assert len(with_map) == 190  # converted, human-annotated
    assert all(info['part_map_is_pseudo'] is False for info in with_map)
    for info in with_map[:5]:
        assert osp.exists(info['seg_map_path'])
    unannotated = dataset.get_data_info(len(dataset) - 1)
    assert unannotated['seg_map_path'] is None
    assert unannotated['part_map_is_pseudo'] is None

    # A pseudo flag in whether_pseudo/ is carried through to the sample.
    wnid = done['classes'][0]
    pseudo_root = tmp_path / 'pseudo'
    (pseudo_root / 'whether_pseudo').mkdir(parents=True)
    os.symlink(osp.join(out, 'seg'), pseudo_root / 'seg')
    os.symlink(osp.join(out, 'img'), pseudo_root / 'img')
    (pseudo_root / 'whether_pseudo' / f'{wnid}.txt').write_text(
        f'{wnid}_3.JPEG 1\n{wnid}_4.JPEG 0\n')
    (pseudo_root / 'list.txt').write_text(
        f'{wnid}/{wnid}_3.JPEG 0\n{wnid}/{wnid}_4.JPEG 0\n'
        f'{wnid}/{wnid}_5.JPEG 0\n')
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='LoadPartMap'),
        dict(type='PackPartInputs')
    ]
    dataset = PINPPClsDataset(data_root=str(pseudo_root),
                              ann_file='list.txt', pipeline=pipeline,
                              metainfo=dict(classes=done['classes']))
    samples = [dataset[i]['data_samples'] for i in range(3)]
    assert [s.part_map_is_pseudo for s in samples] == [True, False, False]
    assert [s.part_map_valid for s in samples] == [True, True, False]
    assert samples[0].gt_part_map.max() > 0
    assert samples[2].gt_part_map.max() == 0

    (pseudo_root / 'whether_pseudo' / f'{wnid}.txt').write_text(
        f'{wnid}_3.JPEG yes\n')
    with pytest.raises(ValueError, match=r'.txt:1: expected "<file> <0\|1>'):
        PINPPClsDataset(data_root=str(pseudo_root), ann_file='list.txt',
                        metainfo=dict(classes=done['classes']))


@pytest.mark.parametrize('pseudo_maps', [True, False])
def test_cls_dataset_pseudo_maps_switch(toy_pinpp, toy_processed, tmp_path,
                                        pseudo_maps):
    """``pseudo_maps=False`` drops the maps listed with 1 (the sample has no
    map, as an unlisted one) and keeps the human ones."""
    _, done = toy_pinpp
    out, _ = toy_processed
    wnid = done['classes'][1]
    (tmp_path / 'whether_pseudo').mkdir()
    os.symlink(osp.join(out, 'seg'), tmp_path / 'seg')
    os.symlink(osp.join(out, 'img'), tmp_path / 'img')
    (tmp_path / 'whether_pseudo' / f'{wnid}.txt').write_text(
        f'{wnid}_0.JPEG 0\n{wnid}_1.JPEG 1\n{wnid}_2.JPEG 1\n'
        f'{wnid}_3.JPEG 0\n')
    (tmp_path / 'list.txt').write_text(''.join(
        f'{wnid}/{wnid}_{i}.JPEG 1\n' for i in range(5)))
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='LoadPartMap'),
        dict(type='PackPartInputs')
    ]
    dataset = PINPPClsDataset(data_root=str(tmp_path), ann_file='list.txt',
                              pipeline=pipeline, pseudo_maps=pseudo_maps,
                              metainfo=dict(classes=done['classes']))
    infos = [dataset.get_data_info(i) for i in range(5)]
    flags = [info['part_map_is_pseudo'] for info in infos]
    expected = [False, True, True, False, None] if pseudo_maps else \
        [False, None, None, False, None]
    assert flags == expected
    for info, flag in zip(infos, expected):
        stem = osp.splitext(osp.basename(info['img_path']))[0]
        assert info['seg_map_path'] == (None if flag is None else osp.join(
            str(tmp_path), 'seg', wnid, stem + '.png'))
    samples = [dataset[i]['data_samples'] for i in (1, 3)]
    assert samples[0].part_map_valid is pseudo_maps
    assert samples[0].part_map_is_pseudo is pseudo_maps
    assert samples[1].part_map_valid and not samples[1].part_map_is_pseudo


def test_cls_dataset_object_targets(toy_pinpp, toy_processed):
    """MPM's object-target option: the same dataset reading obj/ maps."""
    root, _ = toy_pinpp
    out, _ = toy_processed
    pipeline = [dict(type='LoadImageFromFile'), dict(type='LoadPartMap'),
                dict(type='PackPartInputs')]
    dataset = PINPPClsDataset(
        data_root=out, ann_file='splits/train.txt',
        label_space='label_space.tsv',
        data_prefix=dict(seg_map_path='obj'), pipeline=pipeline)
    for index in (0, 50, 149):
        sample = dataset[index]['data_samples']
        values = set(sample.gt_part_map.unique().tolist())
        assert values == {0, int(sample.gt_label) + 1}


@pytest.mark.parametrize('dataset_type', [ImageNetListDataset,
                                          PINPPClsDataset])
@pytest.mark.parametrize('subset,size', [
    ('mmpart::imagenet_val_subset_10k.txt', 10000),
    ('mmpart::imagenet_val_subset_5k_autoattack.txt', 5000)
])
def test_list_datasets_read_bundled_val_subsets(tmp_path, dataset_type,
                                                subset, size):
    from mmpretrain.datasets.categories import IMAGENET_CATEGORIES
    dataset = dataset_type(
        data_root=str(tmp_path), ann_file=subset,
        data_prefix=dict(img_path='val'))
    assert dataset.metainfo['classes'] == IMAGENET_CATEGORIES
    assert len(dataset) == size
    wnids = list(load_part_counts())
    labels = []
    for i in range(0, size, 97):
        info = dataset.get_data_info(i)
        wnid = osp.basename(osp.dirname(info['img_path']))
        assert info['gt_label'] == wnids.index(wnid)
        assert info['img_path'].startswith(str(tmp_path / 'val'))
        assert info.get('seg_map_path') is None
        labels.append(info['gt_label'])
    if size == 10000:
        counts = np.bincount(dataset.get_gt_labels(), minlength=1000)
        assert (counts == 10).all()


def test_imagenet_list_dataset(toy_pinpp, tmp_path):
    root, done = toy_pinpp
    dataset = ImageNetListDataset(
        data_root=root, ann_file='meta/val.txt', data_prefix='val',
        classes=osp.join(root, 'meta', 'classes.txt'))
    assert dataset.metainfo['classes'] == tuple(done['classes'])
    assert len(dataset) == 100
    info = dataset.get_data_info(99)
    assert info['gt_label'] == 9
    assert info['img_path'].startswith(osp.join(root, 'val',
                                                done['classes'][9]))
    assert osp.isfile(info['img_path'])
    assert set(info) == {'img_path', 'gt_label', 'sample_idx'}
    # Bundled class files are found too; labels must fit the classes.
    with pytest.raises(ValueError, match='val.txt:51: label 5 is not below '
                       'the 5 classes'):
        ImageNetListDataset(data_root=root, ann_file='meta/val.txt',
                            classes=done['classes'][:5])
    r_classes = ImageNetListDataset(
        ann_file=str(tmp_path / 'none.txt'), classes='mmpart::'
        'imagenet_r_wnids.txt', lazy_init=True).metainfo['classes']
    assert len(r_classes) == 200 and r_classes[0] == 'n01443537'
    with pytest.raises(FileNotFoundError, match='bundled files'):
        ImageNetListDataset(ann_file='mmpart::val.txt')


def test_registered_list_datasets_build_from_configs(tmp_path):
    from mmpart.registry import DATASETS
    dataset = DATASETS.build(
        dict(type='ImageNetListDataset', data_root=str(tmp_path),
             ann_file='mmpart::imagenet_val_subset_5k_autoattack.txt',
             data_prefix=dict(img_path='val')))
    assert len(dataset) == 5000


def _train(cfg, work_dir, *options):
    env = dict(os.environ, PYTHONPATH=PROJECT_ROOT)
    proc = subprocess.run(
        [sys.executable, 'tools/train.py', cfg, '--work-dir', work_dir,
         '--cfg-options', *options],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-4000:]
    return proc.stdout


@pytest.mark.slow
def test_part_seg_config_trains(toy_processed, tmp_path):
    out, _ = toy_processed
    cfg = str(tmp_path / 'cfg.py')
    with open(cfg, 'w') as f:
        f.write(f"""_base_ = {osp.join(PROJECT_ROOT, 'configs', 'toy',
                         'fcn_r18-d8_1xb16-200i_toy-pinpp-parts-96x96.py')!r}
train_dataloader = dict(num_workers=0, persistent_workers=False,
                        dataset=dict(data_root={out!r}))
val_dataloader = dict(num_workers=0, persistent_workers=False,
                      dataset=dict(data_root={out!r}))
test_dataloader = val_dataloader
""")
    log = _train(cfg, str(tmp_path / 'work'), 'train_cfg.max_iters=4',
                 'train_cfg.val_interval=4')
    assert 'mIoU' in log and 'tench/body' in log


@pytest.mark.slow
def test_cls_with_parts_config_trains(toy_pinpp, toy_processed, tmp_path):
    """A plain classifier on PINPPClsDataset with the joint transforms."""
    root, _ = toy_pinpp
    out, _ = toy_processed
    cfg = str(tmp_path / 'cfg.py')
    with open(cfg, 'w') as f:
        f.write(f"""_base_ = {osp.join(PROJECT_ROOT, 'configs', 'toy',
                         'resnet18-w32_1xb32-12e_toy-pinpp-parts.py')!r}
train_dataloader = dict(num_workers=0, dataset=dict(
    data_root={out!r}, ann_file={osp.join(root, 'meta', 'train.txt')!r}))
val_dataloader = dict(num_workers=0, dataset=dict(
    data_root={out!r}, ann_file={osp.join(root, 'meta', 'val.txt')!r},
    data_prefix=dict(img_path={osp.join(root, 'val')!r})))
test_dataloader = val_dataloader
""")
    log = _train(cfg, str(tmp_path / 'work'), 'train_cfg.max_epochs=1')
    assert 'Epoch(train) [1][10/16]' in log  # 500 images, batch 32
    assert 'accuracy/top1' in log
