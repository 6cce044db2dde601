# Copyright (c) mmpart contributors. All rights reserved.
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from mmpart.apis import init_model
from mmpart.datasets import LabelSpace
from mmpart.evaluation.functional import (LinearPartProbe, extract_features,
                                          linear_probe_miou,
                                          overclustering_miou,
                                          train_linear_probe)
from mmpart.models.segmentors import part_range_classes
from ..conftest import PROJECT_ROOT

NUM_CLASSES = 5  # background + 2 objects x 2 parts


def label_space():
    return LabelSpace.from_part_counts({'n01': 2, 'n02': 2})


def part_maps(num: int, size: int = 12, seed: int = 0) -> torch.Tensor:
    """Maps of background and one object's two parts (object ``i % 2``):
    random rectangles, a few ignored pixels."""
    rng = np.random.default_rng(seed)
    maps = np.zeros((num, size, size), np.int64)
    for i in range(num):
        first = 1 + 2 * (i % 2)
        top, left = rng.integers(0, size // 2, 2)
        maps[i, top:top + 5, left:left + 6] = first
        maps[i, top + 5:top + 8, left:left + 6] = first + 1
        maps[i, 0, 0] = 65535
    return torch.from_numpy(maps)


def one_hot(maps: torch.Tensor, noise: float = 0.0) -> torch.Tensor:
    """Features that encode the parts exactly, at the label resolution."""
    features = F.one_hot(maps.clamp(max=NUM_CLASSES - 1),
                         NUM_CLASSES).permute(0, 3, 1, 2).float()
    return features + noise * torch.randn(features.shape,
                                          generator=torch.Generator()
                                          .manual_seed(0))


def test_linear_probe_on_exact_features_is_perfect():
    train, test = part_maps(16), part_maps(6, seed=1)
    probe = train_linear_probe(one_hot(train), train, NUM_CLASSES,
                               epochs=40, lr=0.1, batch_size=8)
    wnids = ['n01', 'n02'] * 3
    allowed = [class_aware_ids(wnid) for wnid in wnids]
    scores = linear_probe_miou(probe, one_hot(test), test, allowed,
                               NUM_CLASSES, class_chunk=2)
    assert scores == dict(mIoU=pytest.approx(100),
                          mIoU_class_aware=pytest.approx(100))


def test_linear_probe_class_aware_restricts_to_own_parts():
    train, test = part_maps(16), part_maps(6, seed=1)
    probe = train_linear_probe(one_hot(train), train, NUM_CLASSES,
                               epochs=40, lr=0.1, batch_size=8)
    # Told the wrong object, the class-aware map cannot hit any part.
    wrong = [class_aware_ids(wnid) for wnid in ['n02', 'n01'] * 3]
    scores = linear_probe_miou(probe, one_hot(test), test, wrong,
                               NUM_CLASSES)
    assert scores['mIoU'] == pytest.approx(100)
    assert scores['mIoU_class_aware'] < 50


def test_linear_probe_steps_on_the_batch_mean_loss():
    # The probe accumulates its gradient image by image; the weights must
    # be those of plain steps on the batch's mean cross-entropy. The third
    # batch has two images, one of them without a labelled pixel.
    maps = part_maps(10, size=8)
    maps[9] = 65535
    features = F.avg_pool2d(one_hot(maps, noise=0.5), 2)
    probe = train_linear_probe(features, maps, NUM_CLASSES, epochs=2,
                               lr=0.05, batch_size=4, seed=3)

    generator = torch.Generator().manual_seed(3)
    flat = features.transpose(0, 1).flatten(1)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(3)
        reference = LinearPartProbe(flat.mean(1),
                                    flat.std(1).clamp_min(1e-6), NUM_CLASSES)
    start = reference.conv.weight.detach().clone()
    optimizer = torch.optim.AdamW(reference.parameters(), lr=0.05)
    for _ in range(2):
        order = torch.randperm(10, generator=generator)
        for start in range(0, 10, 4):
            index = order[start:start + 4]
            logits = F.interpolate(reference(features[index]), size=(8, 8),
                                   mode='bilinear', align_corners=False)
            optimizer.zero_grad()
            F.cross_entropy(logits, maps[index], ignore_index=65535).backward()
            optimizer.step()
    for name, value in reference.state_dict().items():
        torch.testing.assert_close(probe.state_dict()[name], value,
                                   rtol=1e-4, atol=1e-5)
    assert (probe.conv.weight - start).abs().max() > 0.05


def class_aware_ids(wnid):
    """The ids a class-aware prediction may take for an image of wnid."""
    return part_range_classes(label_space().part_id_range(wnid))


def test_class_aware_ids():
    assert class_aware_ids('n02').tolist() == [0, 3, 4]


def test_overclustering_on_exact_features_is_perfect():
    maps = part_maps(6)
    assert overclustering_miou(one_hot(maps, 0.01), maps,
                               k_factor=1) == pytest.approx(100)
    # Three separate sub-clusters per class (left, middle, right columns):
    # k = 3 x classes finds them and the matching gives each class three.
    column = torch.arange(12).div(4, rounding_mode='floor').expand(6, 12, 12)
    features = F.one_hot(maps.clamp(max=4) * 3 + column,
                         3 * NUM_CLASSES).permute(0, 3, 1, 2).float()
    assert overclustering_miou(features + 0.01 * torch.rand(features.shape),
                               maps, k_factor=3) == pytest.approx(100)


def test_overclustering_on_noise_is_poor():
    maps = part_maps(6)
    noise = torch.randn(
        6, 8, 12, 12, generator=torch.Generator().manual_seed(0))
    assert overclustering_miou(noise, maps) < 60


def test_extract_features_reads_any_stage():
    model = init_model(
        f'{PROJECT_ROOT}/configs/toy/resnet18-w32_1xb32-12e_toy-pinpp.py')
    images = [np.full((64, 64, 3), v, np.uint8) for v in (0, 128, 255)]
    stage1 = extract_features(model, images, 1, batch_size=2)
    stage3 = extract_features(model, images, 3)
    assert stage1.shape == (3, 64, 8, 8) and stage3.shape == (3, 256, 2, 2)
    assert model.backbone.out_indices == (3, )  # restored
    # The data preprocessor normalises: equal to the backbone on its input.
    data = model.data_preprocessor(
        dict(inputs=[torch.from_numpy(images[1]).permute(2, 0, 1)]), False)
    with torch.no_grad():
        expected = model.backbone(data['inputs'])[-1]
    torch.testing.assert_close(stage3[1:2], expected)
    with pytest.raises(ValueError):
        extract_features(model, images, 7)
