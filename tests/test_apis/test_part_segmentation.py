# Copyright (c) mmpart contributors. All rights reserved.
"""The part-segmentation inference API on toy segmenters with random
weights: maps, the label-space object map, class-aware maps, pictures."""
import os.path as osp

import cv2
import numpy as np
import pytest
import torch

from mmpart.apis import (PartSegResult, inference_part_segmentor,
                         init_part_segmentor)
from mmpart.datasets import LabelSpace
from mmpart.visualization import random_palette, render_part_seg_result
from .conftest import toy_image

TOY_PARTS = 44  # the toy label space: background + 43 parts


@pytest.fixture(scope='module')
def loaded(toy_segmenter):
    """The toy segmenter loaded from its checkpoint."""
    return init_part_segmentor(toy_segmenter['config'],
                               toy_segmenter['checkpoint'])


def test_checkpoint_weights_and_names_are_loaded(toy_segmenter, loaded):
    saved = toy_segmenter['model'].state_dict()
    for key, value in loaded.state_dict().items():
        assert torch.equal(value, saved[key]), key
    assert type(loaded).__name__ == 'PartEncoderDecoder'
    assert not loaded.training
    assert loaded.dataset_meta['classes'] == tuple(toy_segmenter['classes'])
    assert loaded.label_space.num_part_classes == TOY_PARTS


def test_names_fall_back_to_the_label_space(toy_segmenter):
    model = init_part_segmentor(toy_segmenter['config'])
    assert model.dataset_meta['classes'] == model.label_space.part_names
    assert model.dataset_meta['classes'][1] == 'tench/body'
    assert model.dataset_meta['palette'] == random_palette(TOY_PARTS)


def test_path_and_array_give_the_same_maps(toy_segmenter, loaded):
    img = toy_image(toy_segmenter['root'])
    result = inference_part_segmentor(loaded, img)
    from_array = inference_part_segmentor(loaded, cv2.imread(img))
    assert isinstance(result, PartSegResult)
    assert result.part_map.shape == result.object_map.shape == (96, 96)
    assert result.part_map.dtype == result.object_map.dtype == np.int64
    assert np.array_equal(result.part_map, from_array.part_map)
    assert np.array_equal(result.object_map, from_array.object_map)
    assert result.class_aware_part_map is None
    assert result.object_label is None
    assert 0 <= result.part_map.min() and result.part_map.max() < TOY_PARTS
    assert len(np.unique(result.part_map)) >= 3
    assert result.part_names == tuple(toy_segmenter['classes'])


def test_object_map_follows_the_label_space(toy_segmenter, loaded):
    result = inference_part_segmentor(loaded, toy_image(toy_segmenter['root']))
    rows = loaded.label_space.rows
    # Objects are numbered in the order their blocks appear in the file.
    wnids = list(dict.fromkeys(row['wnid'] for row in rows[1:]))
    expected = np.vectorize(lambda part: 0 if part == 0 else 1 + wnids.index(
        rows[part]['wnid']))(result.part_map)
    assert np.array_equal(result.object_map, expected)
    assert len(np.unique(expected)) >= 2
    assert result.object_names[0] == 'background'
    assert result.object_names[1] == 'tench'


def test_class_aware_map_keeps_the_objects_parts(toy_segmenter, loaded):
    img = toy_image(toy_segmenter['root'])
    space = loaded.label_space
    wnid = space.wnids[1]
    start = space.part_offsets[wnid]
    allowed = {0, *range(start, start + space.part_counts[wnid])}
    plain = inference_part_segmentor(loaded, img)
    result = inference_part_segmentor(loaded, img, object_class=wnid)
    by_label = inference_part_segmentor(loaded, img, object_class=1)
    assert result.object_label == by_label.object_label == 1
    aware = result.class_aware_part_map
    assert aware.shape == (96, 96) and aware.dtype == np.int64
    assert set(np.unique(aware).tolist()) <= allowed
    assert np.array_equal(aware, by_label.class_aware_part_map)
    assert np.array_equal(result.part_map, plain.part_map)
    # Where the overall argmax is allowed, the restricted one is the same.
    kept = np.isin(plain.part_map, list(allowed))
    assert kept.any() and not kept.all()
    assert np.array_equal(aware[kept], plain.part_map[kept])
    assert result.shown_part_map is aware


def test_class_aware_map_needs_a_part_encoder_decoder(toy_segmenter):
    model = init_part_segmentor(toy_segmenter['fcn_config'])
    img = toy_image(toy_segmenter['root'])
    assert inference_part_segmentor(model, img).part_map.shape == (96, 96)
    with pytest.raises(TypeError, match='PartEncoderDecoder'):
        inference_part_segmentor(model, img, object_class='n01440764')


@pytest.mark.parametrize('object_class, error, message', [
    ('n99999999', ValueError, "wnid 'n99999999' is not in the label space"),
    (10, ValueError, 'object label 10 is out of range'),
    (-1, ValueError, 'object label -1 is out of range'),
    (1.0, TypeError, 'must be a wnid or an object label, got 1.0'),
])
def test_unknown_objects_are_refused(toy_segmenter, loaded, object_class,
                                     error, message):
    with pytest.raises(error, match=message):
        inference_part_segmentor(loaded, toy_image(toy_segmenter['root']),
                                 object_class)


def test_a_model_without_label_space_is_refused(toy_segmenter):
    with pytest.raises(ValueError, match='build it with init_part_seg'):
        inference_part_segmentor(torch.nn.Identity(),
                                 toy_image(toy_segmenter['root']))


def test_label_space_comes_from_the_argument_when_the_data_is_away(
        toy_segmenter, tmp_path):
    options = dict(test_dataloader=dict(
        dataset=dict(data_root=str(tmp_path / 'elsewhere'))))
    with pytest.raises(FileNotFoundError, match='pass label_space='):
        init_part_segmentor(toy_segmenter['config'], cfg_options=options)
    path = osp.join(toy_segmenter['root'], 'label_space.tsv')
    for label_space in (path, LabelSpace.from_file(path)):
        model = init_part_segmentor(
            toy_segmenter['config'], cfg_options=options,
            label_space=label_space)
        assert model.label_space.num_part_classes == TOY_PARTS
    with pytest.raises(FileNotFoundError, match='the label space given'):
        init_part_segmentor(toy_segmenter['config'],
                            label_space=str(tmp_path / 'missing.tsv'))


def test_a_label_space_of_other_classes_is_refused(toy_segmenter):
    small = LabelSpace.from_part_counts({'n01440764': 4})
    with pytest.raises(ValueError, match='predicts 44 classes.*5 part'):
        init_part_segmentor(toy_segmenter['config'], label_space=small)


def test_picture_shows_the_parts_present(toy_segmenter, loaded):
    img = toy_image(toy_segmenter['root'])
    result = inference_part_segmentor(loaded, img, object_class=1)
    picture = render_part_seg_result(img, result)
    parts = np.count_nonzero(np.unique(result.class_aware_part_map))
    assert picture.shape == (96 + (1 + parts) * 18 + 4, 320, 3)
    assert picture.dtype == np.uint8
    image = cv2.imread(img)
    assert np.array_equal(picture[:96, :96], image)
    # Opacity 0 leaves the image under the overlay, part borders aside.
    bare = render_part_seg_result(image, result, opacity=0)[:96, 96:192]
    shown = result.shown_part_map
    inside = np.ones_like(shown, bool)
    inside[:, 1:] &= shown[:, 1:] == shown[:, :-1]
    inside[1:, :] &= shown[1:, :] == shown[:-1, :]
    inside[:, :-1] &= shown[:, :-1] == shown[:, 1:]
    assert np.array_equal(bare[inside], image[inside])
    assert result.part_shares()[0][2] >= result.part_shares()[-1][2]
    assert sum(s for _, _, s in result.part_shares()) == pytest.approx(
        (shown > 0).mean())
    with pytest.raises(ValueError, match='the image is'):
        render_part_seg_result(image[:50], result)


def test_picture_can_be_enlarged(toy_segmenter, loaded):
    img = toy_image(toy_segmenter['root'])
    result = inference_part_segmentor(loaded, img)
    parts = np.count_nonzero(np.unique(result.part_map))
    picture = render_part_seg_result(img, result, opacity=1, scale=2)
    assert picture.shape == (192 + (1 + parts) * 18 + 4, 384, 3)
    # At full opacity the overlay is the palette colour of each part, so
    # it shows the part map enlarged by nearest neighbour; part borders (a
    # change from the pixel left or above) are black.
    enlarged = result.part_map.repeat(2, axis=0).repeat(2, axis=1)
    border = np.zeros(enlarged.shape, bool)
    border[:, 1:] |= enlarged[:, 1:] != enlarged[:, :-1]
    border[1:, :] |= enlarged[1:, :] != enlarged[:-1, :]
    inside = (enlarged > 0) & ~border
    colours = np.asarray(result.palette, np.uint8)[enlarged]
    overlay = picture[:192, 192:384]
    assert inside.sum() > 100
    assert np.array_equal(overlay[inside], colours[inside])
    assert (overlay[border] == 0).all()
    with pytest.raises(ValueError, match='scale must be positive, got 0'):
        render_part_seg_result(img, result, scale=0)
