# Copyright (c) mmpart contributors. All rights reserved.
import copy
import os.path as osp

import mmcv
import numpy as np
import pytest
import torch

from mmpart.datasets import MAP_IGNORE_INDEX
from mmpart.pseudo_label import (ALL_IGNORED, EMPTY, WRITTEN, PseudoLabel,
                                 PseudoLabeller, view_pipelines)


def _views(model, path, flip=False):
    return [pipeline(path) for pipeline in view_pipelines(model.cfg, flip)]


def _image(pseudo_data, index=0):
    key = pseudo_data['unannotated'][index]
    return key.split('/')[0], osp.join(pseudo_data['imagenet_train'], key)


def _logits(model, img):
    """Reference: the whole network output at the image's size, all
    classes, for a BGR array."""
    views = _views(model, img)
    with torch.no_grad():
        return _whole_logits(model, views)


def _whole_logits(model, views):
    data = model.data_preprocessor(
        dict(inputs=[views[0]['inputs']],
             data_samples=[views[0]['data_samples']]), False)
    logits = model.original_size_logits(data['inputs'],
                                        data['data_samples'])
    return logits(0, slice(None))


def _own_range(space, wnid):
    start = space.part_offsets[wnid]
    return start, start + space.part_counts[wnid]


def test_class_conditioning_never_gives_other_class_ids(
        segmenter, pseudo_data):
    space = pseudo_data['label_space']
    wnid, path = _image(pseudo_data)
    other = pseudo_data['wnids'][2]
    other_id = space.part_offsets[other]
    model = copy.deepcopy(segmenter)
    with torch.no_grad():
        # Force the model to prefer a part of another class everywhere.
        model.decode_head.conv_seg.bias[other_id] += 100
    views = [_views(model, path)]
    free = PseudoLabeller(model, space, 0, class_conditioned=False)
    assert (free.label(views, [wnid])[0].part_map == other_id).all()
    label = PseudoLabeller(model, space, 0).label(views, [wnid])[0]
    start, stop = _own_range(space, wnid)
    ids = np.unique(label.part_map)
    assert all(i == 0 or start <= i < stop for i in ids), ids
    assert label.part_map.shape == (96, 96)
    assert label.part_map.dtype == np.uint16


def test_threshold_and_confidence_match_softmax_over_own_parts(
        segmenter, pseudo_data):
    space = pseudo_data['label_space']
    wnid, path = _image(pseudo_data)
    start, stop = _own_range(space, wnid)
    candidates = torch.tensor([0] + list(range(start, stop)))
    probs = _logits(segmenter, path)[candidates].softmax(0)
    confidence, best = probs.max(0)
    min_score = float(confidence.median())
    expected = candidates[best].numpy().astype(np.uint16)
    expected[(confidence < min_score).numpy()] = MAP_IGNORE_INDEX

    label = PseudoLabeller(segmenter, space, min_score).label(
        [_views(segmenter, path)], [wnid])[0]
    np.testing.assert_array_equal(label.part_map, expected)
    assert label.confidence == pytest.approx(float(confidence.mean()),
                                             abs=1e-6)
    ignored = float((confidence < min_score).float().mean())
    assert label.ignored_fraction == pytest.approx(ignored)
    assert 0 < label.ignored_fraction < 1


def test_flip_averages_the_mirrored_prediction(segmenter, pseudo_data):
    space = pseudo_data['label_space']
    wnid, path = _image(pseudo_data, 1)
    start, stop = _own_range(space, wnid)
    candidates = torch.tensor([0] + list(range(start, stop)))
    img = mmcv.imread(path)
    plain = _logits(segmenter, img)[candidates].softmax(0)
    mirrored = _logits(segmenter, np.ascontiguousarray(img[:, ::-1]))
    mirrored = mirrored[candidates].softmax(0).flip(-1)
    confidence, best = ((plain + mirrored) / 2).max(0)

    label = PseudoLabeller(segmenter, space, 0).label(
        [_views(segmenter, path, flip=True)], [wnid])[0]
    np.testing.assert_array_equal(label.part_map,
                                  candidates[best].numpy().astype(np.uint16))
    assert label.confidence == pytest.approx(float(confidence.mean()),
                                             abs=1e-6)


def test_images_of_several_sizes_share_a_batch(segmenter, pseudo_data):
    space = pseudo_data['label_space']
    wnid, path = _image(pseudo_data)
    img = mmcv.imread(path)
    small = mmcv.imresize(img, (64, 80))
    labeller = PseudoLabeller(segmenter, space, 0)
    both = labeller.label(
        [_views(segmenter, img), _views(segmenter, small)], [wnid, wnid])
    assert both[0].part_map.shape == (96, 96)
    assert both[1].part_map.shape == (80, 64)
    alone = labeller.label([_views(segmenter, small)], [wnid])[0]
    np.testing.assert_array_equal(alone.part_map, both[1].part_map)


def test_status_and_object_map():
    ignore = MAP_IGNORE_INDEX
    parts = PseudoLabel(np.array([[0, 5], [ignore, 6]], np.uint16), 0.9,
                        0.25)
    assert parts.status == WRITTEN
    np.testing.assert_array_equal(
        parts.object_map(3), np.array([[0, 3], [ignore, 3]], np.uint16))
    background = PseudoLabel(np.array([[0, ignore]], np.uint16), 0.9, 0.5)
    assert background.status == EMPTY
    ignored = PseudoLabel(np.full((2, 2), ignore, np.uint16), 0.1, 1.0)
    assert ignored.status == ALL_IGNORED


def test_labeller_checks_its_model(segmenter, pseudo_data, toy_segmenter):
    from mmpart.apis import init_part_segmentor
    space = pseudo_data['label_space']
    fcn = init_part_segmentor(toy_segmenter['fcn_config'])
    with pytest.raises(TypeError, match='PartEncoderDecoder'):
        PseudoLabeller(fcn, space)
    with pytest.raises(ValueError, match='min_score'):
        PseudoLabeller(segmenter, space, 1.5)
    with pytest.raises(KeyError, match='n00000000'):
        PseudoLabeller(segmenter, space).candidates('n00000000', 'cpu')
