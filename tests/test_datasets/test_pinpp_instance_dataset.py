# Copyright (c) mmpart contributors. All rights reserved.
"""PINPPInstanceDataset on the converted toy set's instance files."""
import json

import numpy as np
import pytest
from pycocotools.coco import COCO

from mmpart.datasets import LabelSpace, PINPPInstanceDataset, PINPPLayout

PIPELINE = [
    dict(type='LoadImageFromFile'),
    dict(type='mmdet.LoadAnnotations', with_bbox=True, with_mask=True),
    dict(type='mmdet.PackDetInputs'),
]


def _dataset(root, **kwargs):
    return PINPPInstanceDataset(
        data_root=root, ann_file='annotations/instances_val.json',
        pipeline=PIPELINE, **kwargs)


@pytest.mark.parametrize('categories', [('object', 'part'), ('part', ),
                                        ('object', )])
def test_categories_select_classes_and_instances(toy_processed, categories):
    root, _ = toy_processed
    layout = PINPPLayout(root)
    space = LabelSpace.from_file(layout.label_space)
    coco = COCO(layout.instance_file('val'))
    num_objects = len(space.wnids)
    dataset = _dataset(root, categories=categories)

    objects = list(space.object_names) if 'object' in categories else []
    parts = list(space.part_names[1:]) if 'part' in categories else []
    assert list(dataset.metainfo['classes']) == objects + parts
    # One colour per class, as tuples (mmdet's visualizer reads a list as
    # several colours).
    palette = dataset.metainfo['palette']
    assert len(palette) == len(objects + parts)
    assert all(isinstance(c, tuple) and len(c) == 3 for c in palette)
    assert len(dataset) == len(coco.dataset['images'])
    # Labels index the classes: the objects' ids first, then the parts'.
    selected = ([] if not objects else list(range(1, num_objects + 1))) + (
        [] if not parts else
        list(range(num_objects + 1, num_objects + len(parts) + 1)))
    label_of = {cat_id: label for label, cat_id in enumerate(selected)}
    for index in (0, len(dataset) - 1):
        info = dataset.get_data_info(index)
        anns = [a for a in coco.imgToAnns[info['img_id']]
                if a['category_id'] in label_of]
        expected = sorted(label_of[a['category_id']] for a in anns)
        assert sorted(i['bbox_label'] for i in info['instances']) == expected
        if objects:
            wnid = coco.imgs[info['img_id']]['wnid']
            assert space.object_label[wnid] in expected
        gt = dataset[index]['data_samples'].gt_instances
        assert sorted(gt.labels.tolist()) == expected
        # The packed masks are the file's.
        assert sorted(int(m.sum()) for m in gt.masks.to_ndarray()) == \
            sorted(a['area'] for a in anns)


def test_file_from_another_conversion_is_refused(toy_processed, tmp_path):
    root, _ = toy_processed
    layout = PINPPLayout(root)
    coco = json.load(open(layout.instance_file('val')))
    coco['categories'][-1]['name'] = 'renamed/part'
    other = tmp_path / 'instances_val.json'
    other.write_text(json.dumps(coco))
    with pytest.raises(ValueError, match='another conversion'):
        PINPPInstanceDataset(
            data_root=root, ann_file=str(other), pipeline=PIPELINE)
    with pytest.raises(ValueError, match='non-empty subset'):
        _dataset(root, categories=('parts', ))


def test_repeat_factor_sampling_wraps_it(toy_processed):
    """mmengine's ClassBalancedDataset (the PIN++ configs' repeat-factor
    sampling) reads the dataset's category ids."""
    from mmengine.dataset import ClassBalancedDataset
    root, _ = toy_processed
    dataset = _dataset(root, categories=('part', ))
    balanced = ClassBalancedDataset(dataset, oversample_thr=0.2)
    assert len(balanced) > len(dataset)
    # Each image repeats by its rarest part's factor, at least once.
    counts = np.bincount(balanced.repeat_indices, minlength=len(dataset))
    assert counts.min() >= 1 and counts.max() > 1
