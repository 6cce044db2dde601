# Copyright (c) mmpart contributors. All rights reserved.
"""PINPPLVISDataset on files in the official benchmark's LVIS format (as
``Benchmark/segmentation/paco/data/datasets/paco.py`` reads them) and on
the converter's."""
import json
import os.path as osp

import cv2
import numpy as np
import pytest
from mmengine.dataset import ClassBalancedDataset
from pycocotools.coco import COCO

from mmpart.datasets import PINPPInstanceDataset, PINPPLayout, PINPPLVISDataset

PIPELINE = [
    dict(type='LoadImageFromFile'),
    dict(type='mmdet.LoadAnnotations', with_bbox=True, with_mask=True),
    dict(type='mmdet.PackDetInputs'),
]
WNID = 'n01440764'


def _square(x, y, size):
    return [float(v) for v in (x, y, x + size, y, x + size, y + size, x,
                               y + size)]


def official_file():
    """A file shaped as the official ``Pin++_*.json``: parts then objects,
    ids from 1, LVIS fields; the second image's only annotation has an
    empty segmentation (the official loader drops it)."""
    categories = [
        dict(id=i, name=f'tench/part{i}', supercategory='part',
             frequency='c', image_count=1, instance_count=1)
        for i in (1, 2, 3)
    ] + [
        dict(id=4, name='object4', supercategory='object', frequency='c',
             image_count=1, instance_count=1)
    ]
    images = [
        dict(id=7, file_name=f'{WNID}/{WNID}_1.JPEG', width=40, height=30,
             neg_category_ids=[3], not_exhaustive_category_ids=[]),
        dict(id=9, file_name=f'{WNID}/{WNID}_2.JPEG', width=40, height=30,
             neg_category_ids=[], not_exhaustive_category_ids=[]),
    ]
    annotations = [
        dict(id=1, image_id=7, category_id=4,
             segmentation=[_square(2, 2, 20)], area=400.0,
             bbox=[2.0, 2.0, 20.0, 20.0]),
        dict(id=2, image_id=7, category_id=1,
             segmentation=[_square(2, 2, 10)], area=100.0,
             bbox=[2.0, 2.0, 10.0, 10.0]),
        dict(id=3, image_id=7, category_id=2,
             segmentation=[_square(12, 12, 6)], area=36.0,
             bbox=[12.0, 12.0, 6.0, 6.0]),
        dict(id=4, image_id=9, category_id=1, segmentation=[],
             area=0.0, bbox=[0.0, 0.0, 5.0, 5.0]),
    ]
    return dict(images=images, annotations=annotations,
                categories=categories)


@pytest.fixture
def official_root(tmp_path):
    """``img/<wnid>/*.JPEG`` and ``annotations/Pin++_train.json``."""
    for n in (1, 2):
        path = tmp_path / 'img' / WNID / f'{WNID}_{n}.JPEG'
        path.parent.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(path), np.full((30, 40, 3), 80, np.uint8))
    (tmp_path / 'annotations').mkdir()
    (tmp_path / 'annotations' / 'Pin++_train.json').write_text(
        json.dumps(official_file()))
    return str(tmp_path)


def test_reads_the_official_format(official_root):
    dataset = PINPPLVISDataset(
        data_root=official_root, pipeline=PIPELINE, test_mode=True)
    # The classes are the file's categories in id order.
    assert dataset.metainfo['classes'] == ('tench/part1', 'tench/part2',
                                           'tench/part3', 'object4')
    palette = dataset.metainfo['palette']
    assert len(palette) == 4 and all(
        isinstance(c, tuple) and len(c) == 3 for c in palette)
    assert len(dataset) == 2
    first, second = (dataset.get_data_info(i) for i in range(2))
    # file_name under the image root, as the official loader joins them.
    assert first['img_path'] == osp.join(official_root, 'img', WNID,
                                         f'{WNID}_1.JPEG')
    assert first['img_id'] == 7
    # Labels: category id - 1 (the official conversion, ids contiguous).
    assert sorted(i['bbox_label'] for i in first['instances']) == [0, 1, 3]
    # The annotation with an empty segmentation is dropped.
    assert second['instances'] == []
    gt = dataset[0]['data_samples'].gt_instances
    assert sorted(gt.labels.tolist()) == [0, 1, 3]
    assert sorted(int(m.sum()) for m in gt.masks.to_ndarray()) == \
        [36, 100, 400]


def test_training_leaves_out_images_without_annotations(official_root):
    """The second image's only annotation is dropped, so it is empty."""
    dataset = PINPPLVISDataset(
        data_root=official_root, pipeline=PIPELINE,
        filter_cfg=dict(filter_empty_gt=True))
    assert [dataset.get_data_info(i)['img_id']
            for i in range(len(dataset))] == [7]
    # Repeat-factor sampling (the configs' wrapper) reads its categories.
    balanced = ClassBalancedDataset(dataset, oversample_thr=0.5)
    assert len(balanced) >= len(dataset)


def test_object_only_variant(tmp_path, official_root):
    """``Pin++Object_*.json`` keeps the objects' ids: the labels follow
    them in order."""
    variant = official_file()
    variant['categories'] = [dict(variant['categories'][-1], id=4308)]
    variant['annotations'] = [
        dict(a, category_id=4308) for a in variant['annotations']
        if a['category_id'] == 4
    ]
    for image in variant['images']:
        image['neg_category_ids'] = []
    path = tmp_path / 'Pin++Object_train.json'
    path.write_text(json.dumps(variant))
    dataset = PINPPLVISDataset(
        data_root=official_root, ann_file=str(path), pipeline=PIPELINE,
        test_mode=True)
    assert dataset.metainfo['classes'] == ('object4', )
    assert [i['bbox_label']
            for i in dataset.get_data_info(0)['instances']] == [0]


def test_classes_given_in_metainfo_must_be_the_file(official_root):
    with pytest.raises(ValueError, match='the classes come from the file'):
        PINPPLVISDataset(
            data_root=official_root, pipeline=PIPELINE,
            metainfo=dict(classes=('tench/part1', )))


def test_converter_files_hold_the_coco_samples(toy_processed):
    """On the toy conversion, the LVIS files give the COCO files' images
    and instances, only the labels renumbered (parts first)."""
    root, _ = toy_processed
    layout = PINPPLayout()
    lvis = PINPPLVISDataset(
        data_root=root, ann_file=layout.lvis_instance_file('val'),
        pipeline=PIPELINE, test_mode=True)
    coco = PINPPInstanceDataset(
        data_root=root, ann_file=layout.instance_file('val'),
        pipeline=PIPELINE, test_mode=True)
    coco_classes = coco.metainfo['classes']
    assert sorted(lvis.metainfo['classes']) == sorted(coco_classes)
    assert len(lvis) == len(coco) == len(
        COCO(osp.join(root, layout.instance_file('val'))).imgs)
    label_of = {name: i for i, name in enumerate(lvis.metainfo['classes'])}
    for index in range(len(coco)):
        a, b = lvis.get_data_info(index), coco.get_data_info(index)
        assert (a['img_id'], a['img_path']) == (b['img_id'], b['img_path'])
        assert sorted((i['bbox'], i['bbox_label']) for i in a['instances']) \
            == sorted((i['bbox'], label_of[coco_classes[i['bbox_label']]])
                      for i in b['instances'])
