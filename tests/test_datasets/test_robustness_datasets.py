# Copyright (c) mmpart contributors. All rights reserved.
"""ImageNet-C/-R/-A/Sketch/Stylized and cue-conflict datasets, and the
on-the-fly corruption transform."""
import json
import os
import os.path as osp

import cv2
import numpy as np
import pytest

from mmpart.converters import write_imagenet_c
from mmpart.datasets import (IMAGENET_A_WNIDS, IMAGENET_C_CORRUPTIONS,
                             IMAGENET_R_WNIDS, SHAPE_BIAS_16_CLASSES,
                             CueConflictDataset, ImageNetCDataset,
                             NoImagesError, WnidFolderDataset, imagenet_wnids,
                             load_coarse_categories, read_wnid_list)
from mmpart.datasets.transforms import ImageNetCorruption
from mmpart.evaluation.metrics import ClassSubsetAccuracy, ShapeBias

# The first 30 output indices of each 200-class subset, as listed by the
# benchmarks' own evaluation code (imagenet_r_indices / indices_in_1k).
IMAGENET_R_FIRST = [1, 2, 4, 6, 8, 9, 11, 13, 22, 23, 26, 29, 31, 39, 47,
                    63, 71, 76, 79, 84, 90, 94, 96, 97, 99, 100, 105, 107,
                    113, 122]
IMAGENET_A_FIRST = [6, 11, 13, 15, 17, 22, 23, 27, 30, 37, 39, 42, 47, 50,
                    57, 70, 71, 76, 79, 89, 90, 94, 96, 97, 99, 105, 107,
                    108, 110, 113]


def _image(path, size=(40, 48), value=0):
    os.makedirs(osp.dirname(path), exist_ok=True)
    img = np.random.default_rng(value).integers(0, 255, (*size, 3))
    cv2.imwrite(path, img.astype(np.uint8))


@pytest.mark.parametrize('path,first', [(IMAGENET_R_WNIDS, IMAGENET_R_FIRST),
                                        (IMAGENET_A_WNIDS, IMAGENET_A_FIRST)])
def test_200_class_masks(path, first):
    wnids = read_wnid_list(path)
    all_wnids = imagenet_wnids()
    assert len(wnids) == 200 and set(wnids) <= set(all_wnids)
    indices = ClassSubsetAccuracy(path).class_indices(all_wnids)
    assert len(indices) == 200
    assert indices[:30] == first
    assert [all_wnids[i] for i in indices] == sorted(wnids)


def test_class_subset_accuracy_restricts_the_argmax():
    import torch
    classes = [f'n{i:08d}' for i in range(6)]
    metric = ClassSubsetAccuracy([classes[1], classes[3], classes[4]])
    metric.dataset_meta = dict(classes=classes)
    scores = torch.tensor([
        [0.5, 0.1, 0.0, 0.3, 0.1, 0.0],  # best overall 0, in subset 3
        [0.0, 0.2, 0.6, 0.1, 0.1, 0.0],  # best overall 2, in subset 1
        [0.1, 0.1, 0.1, 0.1, 0.5, 0.1],  # 4
    ])
    samples = [dict(pred_score=s, gt_label=torch.tensor([g]))
               for s, g in zip(scores, [3, 4, 4])]
    metric.process(None, samples)
    assert metric.compute_metrics(metric.results) == dict(top1=200 / 3)
    with pytest.raises(ValueError, match='outside the subset'):
        metric.process(None, [dict(pred_score=scores[0],
                                   gt_label=torch.tensor([0]))])


def test_wnid_folder_dataset(tmp_path):
    wnids = imagenet_wnids()
    for wnid, n in ((wnids[1], 2), (wnids[6], 1), ('n99999999', 3)):
        for k in range(n):
            _image(str(tmp_path / 'r' / wnid / f'{k}.jpg'))
    _image(str(tmp_path / 'r' / wnids[6] / 'sub' / 'x.PNG'))
    (tmp_path / 'r' / wnids[1] / 'README.txt').write_text('not an image')
    ds = WnidFolderDataset(str(tmp_path / 'r'))
    assert [ds.get_data_info(i)['gt_label'] for i in range(len(ds))] == [
        1, 1, 6, 6]
    assert ds.skipped == dict(unknown_wnid_folders=1, non_image_files=1)
    assert len(ds.metainfo['classes']) == 1000
    os.makedirs(tmp_path / 'empty' / 'n99999999')
    with pytest.raises(NoImagesError):
        WnidFolderDataset(str(tmp_path / 'empty'))


def test_imagenet_c_folders_and_on_the_fly(toy_pinpp, tmp_path):
    data_root, _ = toy_pinpp
    classes = osp.join(data_root, 'meta', 'classes.txt')
    lines = open(osp.join(data_root, 'meta', 'val.txt')).read().split('\n')
    clean_list = tmp_path / 'clean.txt'
    clean_list.write_text('\n'.join(lines[::25]) + '\n')  # 4 images
    out = str(tmp_path / 'imagenet-c')
    corruptions, severities = ['fog', 'impulse_noise'], [1, 5]
    # Two worker processes; one listed image is missing.
    with_missing = tmp_path / 'with_missing.txt'
    with_missing.write_text(clean_list.read_text() + 'n01440764/gone.JPEG\n')
    counts = write_imagenet_c(str(with_missing), osp.join(data_root, 'val'),
                              out, corruptions, severities, crop=None,
                              nproc=2)
    assert counts == dict(written=16, skipped_existing=0, missing_images=1,
                          unreadable_images=0)
    # A rerun skips what is there.
    assert write_imagenet_c(str(clean_list), osp.join(data_root, 'val'),
                            out, corruptions, severities,
                            crop=None)['skipped_existing'] == 16

    ds = ImageNetCDataset(out, corruptions=corruptions,
                          severities=severities, classes=classes)
    infos = [ds.get_data_info(i) for i in range(len(ds))]
    assert len(infos) == 16
    assert {(i['corruption'], i['severity']) for i in infos} == {
        (c, s) for c in corruptions for s in severities}
    assert [i['gt_label'] for i in infos[:4]] == [0, 2, 5, 7]
    with pytest.raises(FileNotFoundError, match='skip_missing'):
        ImageNetCDataset(out, classes=classes)
    partial = ImageNetCDataset(out, classes=classes, skip_missing=True)
    assert len(partial) == 16
    assert partial.skipped == dict(missing_folders=75 - 4)

    pipeline = [dict(type='LoadImageFromFile'),
                dict(type='ImageNetCorruption')]
    fly = ImageNetCDataset(
        osp.join(data_root, 'val'), clean_ann_file=str(clean_list),
        corruptions=corruptions, severities=severities, classes=classes,
        pipeline=pipeline)
    assert len(fly) == 16
    sample = fly[5]
    assert (sample['corruption'], sample['severity']) == ('fog', 5)
    # The written file is the on-the-fly image, JPEG-compressed.
    written = cv2.imread(osp.join(out, 'fog', '5', lines[25].split()[0]))
    assert written.shape == sample['img'].shape
    assert np.abs(written.astype(int) - sample['img']).mean() < 3
    # ImageNet-C's preprocessing: shorter side to crop*256/224, centre crop.
    write_imagenet_c(str(clean_list), osp.join(data_root, 'val'),
                     str(tmp_path / 'cropped'), ['contrast'], [1], crop=64)
    cropped = cv2.imread(str(tmp_path / 'cropped' / 'contrast' / '1' /
                             lines[0].split()[0]))
    assert cropped.shape == (64, 64, 3)


@pytest.mark.parametrize('corruption', IMAGENET_C_CORRUPTIONS)
def test_corruption_shape_dtype_and_seed(corruption):
    rng = np.random.default_rng(0)
    img = rng.integers(0, 255, (64, 80, 3)).astype(np.uint8)

    def run(seed, image=img, path='a/ILSVRC2012_val_00000001.JPEG'):
        return ImageNetCorruption(corruption, 3, seed)(
            dict(img=image.copy(), img_path=path))['img']

    np.random.seed(123)
    state = np.random.get_state()[1].copy()
    out = run(0)
    assert np.array_equal(np.random.get_state()[1], state)
    assert out.shape == img.shape and out.dtype == np.uint8
    assert not np.array_equal(out, img)
    # Deterministic by seed (and file name), whatever the global state.
    np.random.seed(7)
    assert np.array_equal(run(0), out)
    assert np.array_equal(run(0, path='/elsewhere/a/'
                              'ILSVRC2012_val_00000001.JPEG'), out)
    gray = run(0, image=img[..., 0])
    assert gray.shape == (64, 80) and gray.dtype == np.uint8


def test_corruption_seed_changes_noise():
    img = np.full((48, 48, 3), 128, np.uint8)
    outs = [ImageNetCorruption('gaussian_noise', 2, seed)(
        dict(img=img.copy(), img_path='x.JPEG'))['img'] for seed in (0, 1)]
    assert not np.array_equal(*outs)
    with pytest.raises(ValueError, match='unknown corruption'):
        ImageNetCorruption('sunburn', 1)
    with pytest.raises(ValueError, match='1..5'):
        ImageNetCorruption('fog', 6)
    with pytest.raises(KeyError, match='corruption and a severity'):
        ImageNetCorruption()(dict(img=img))


def test_cue_conflict_dataset(tmp_path):
    categories = dict(cat=[281, 282], dog=[151], knife=[499])
    cat_file = tmp_path / 'categories.json'
    cat_file.write_text(json.dumps(categories))
    for name in ('cat/cat1-dog2.png', 'cat/cat2-knife1.png',
                 'dog/dog1-dog3.png', 'dog/dog_bad.png',
                 'knife/knife1-elephant2.png'):
        _image(str(tmp_path / 'cc' / name))
    (tmp_path / 'cc' / 'notes.txt').write_text('x')
    ds = CueConflictDataset(str(tmp_path / 'cc'), categories=str(cat_file))
    infos = [ds.get_data_info(i) for i in range(len(ds))]
    assert [(i['shape_label'], i['texture_label']) for i in infos] == [
        (0, 1), (0, 2), (1, 1)]
    assert ds.skipped == dict(non_image_files=1, unnamed_files=1,
                              unknown_categories=1)
    assert ds.metainfo['classes'] == ('cat', 'dog', 'knife')
    with pytest.raises(ValueError, match='both'):
        CueConflictDataset(str(tmp_path / 'cc'),
                           categories=dict(a=[1, 2], b=[2]))
    # The bundled 16 ImageNet categories (checked for overlaps on load).
    default = load_coarse_categories(SHAPE_BIAS_16_CLASSES)
    assert len(default) == 16 and default['knife'] == [499]
    assert sum(map(len, default.values())) == 207
    assert all(0 <= i < 1000 for v in default.values() for i in v)


def test_bundled_files_by_name(tmp_path):
    """Every dataset and metric taking a wnid or category file accepts
    'mmpart::<file name>'."""
    wnids = imagenet_wnids()
    _image(str(tmp_path / 'r' / wnids[1] / 'a.jpg'))
    ds = WnidFolderDataset(str(tmp_path / 'r'),
                           classes='mmpart::imagenet_r_wnids.txt')
    assert ds.wnids == read_wnid_list(IMAGENET_R_WNIDS)
    assert ds.get_data_info(0)['gt_label'] == 0  # wnids[1] is R's first
    metric = ClassSubsetAccuracy('mmpart::imagenet_a_wnids.txt')
    assert metric.wnids == read_wnid_list(IMAGENET_A_WNIDS)
    shape_bias = ShapeBias(categories='mmpart::shape_bias_16_classes.json')
    assert shape_bias.categories == load_coarse_categories(
        SHAPE_BIAS_16_CLASSES)
    _image(str(tmp_path / 'cc' / 'knife' / 'knife1-bottle2.png'))
    ds = CueConflictDataset(str(tmp_path / 'cc'),
                            categories='mmpart::shape_bias_16_classes.json')
    info = ds.get_data_info(0)
    names = list(ds.categories)
    assert (info['shape_label'], info['texture_label']) == (
        names.index('knife'), names.index('bottle'))
    with pytest.raises(FileNotFoundError, match='bundled files'):
        ClassSubsetAccuracy('mmpart::imagenet_b_wnids.txt')


def test_imagenet_c_on_the_fly_from_a_bundled_list(tmp_path):
    ds = ImageNetCDataset(str(tmp_path), data_prefix='val',
                          corruptions=['fog'], severities=[2],
                          clean_ann_file='mmpart::'
                          'imagenet_val_subset_5k_autoattack.txt')
    assert len(ds) == 5000
    info = ds.get_data_info(0)
    assert info['img_path'].startswith(str(tmp_path / 'val' / 'n0'))
    assert (info['corruption'], info['severity']) == ('fog', 2)


def test_imagenet_c_writer_fails_on_missing_inputs(toy_pinpp, tmp_path):
    data_root, _ = toy_pinpp
    clean = osp.join(data_root, 'meta', 'val.txt')
    out = str(tmp_path / 'out')
    with pytest.raises(FileNotFoundError,
                       match=f'clean image list {tmp_path}/nope.txt'):
        write_imagenet_c(str(tmp_path / 'nope.txt'),
                         osp.join(data_root, 'val'), out, ['fog'], [1])
    with pytest.raises(FileNotFoundError,
                       match=f'clean image folder {data_root}/vla'):
        write_imagenet_c(clean, osp.join(data_root, 'vla'), out, ['fog'],
                         [1])
    assert not osp.exists(out)
    bad = tmp_path / 'bad.txt'
    bad.write_text('n01440764/a.JPEG\nb.JPEG 0\n')
    with pytest.raises(ValueError, match='bad.txt:2: expected'):
        write_imagenet_c(str(bad), osp.join(data_root, 'val'), out,
                         ['fog'], [1])
