# Copyright (c) mmpart contributors. All rights reserved.
"""The full-shape synthetic PIN++: its shape is checked on the plan (fast),
and the written set once, through the real converter (slow)."""
import json
import os
import os.path as osp
from collections import Counter

import cv2
import numpy as np
import pytest
from PIL import Image

from mmpart.converters import PINPPConverter
from mmpart.datasets import (CLASS_SPLIT_SIDES, DEFAULT_CLASS_SPLIT,
                             VAL_SUBSET_10K, LabelSpace, load_part_counts,
                             read_class_split)
from mmpart.toy import make_fullshape_pinpp, plan_fullshape_pinpp


@pytest.fixture(scope='module')
def plan():
    return plan_fullshape_pinpp()


def _annotated_per_label(plan):
    return Counter(image.label for image in plan.images if image.annotated)


def _bundled_val_lines():
    with open(VAL_SUBSET_10K) as f:
        return set(f.read().splitlines())


def test_official_label_space(plan):
    counts = load_part_counts()
    assert [spec.wnid for spec in plan.specs] == list(counts)
    assert len(plan.specs) == 1000
    assert [len(spec.parts) for spec in plan.specs] == list(counts.values())
    assert sum(len(spec.parts) for spec in plan.specs) == 3310
    assert max(len(spec.parts) for spec in plan.specs) == 9
    for spec in plan.specs:
        names = [part.name for part in spec.parts]
        assert len(set(names)) == len(names), spec.wnid


def test_images_per_class(plan):
    annotated = _annotated_per_label(plan)
    assert sorted(annotated) == list(range(1000))
    split = read_class_split(DEFAULT_CLASS_SPLIT)
    label_of = {spec.wnid: i for i, spec in enumerate(plan.specs)}
    for side in CLASS_SPLIT_SIDES:
        wnids = plan.episode_wnids[side]
        # The first classes of the side: 5-way 5-shot 15-query episodes.
        assert wnids == split[side][:5]
        assert all(annotated[label_of[w]] >= 20 for w in wnids)
    train = [i for i in plan.images if i.folder == 'train']
    unannotated = Counter(i.label for i in train if not i.annotated)
    assert len(unannotated) == 10 and set(unannotated.values()) == {5}
    assert len(plan.images) == 1535
    # File numbers are not image ids, and never repeat within a class.
    names = [i.file_name for i in train]
    assert len(set(names)) == len(names)
    assert sum(i.file_name.endswith('_1.JPEG') for i in train) < 10


def test_image_sizes_and_quirks(plan):
    sizes = np.array([(i.height, i.width) for i in plan.images])
    assert sizes.min() >= 250 and sizes.max() <= 500
    assert (sizes[:, 0] < sizes[:, 1]).mean() > 0.5  # mostly landscape
    assert (sizes[:, 0] > sizes[:, 1]).any()
    assert (sizes.max(1) == 500).mean() > 0.3
    quirks = Counter(i.quirk for i in plan.images if i.quirk)
    assert quirks == dict(grayscale=10, cmyk=1, png=1)
    assert all(i.annotated for i in plan.images if i.quirk)


def test_val_images_are_lines_of_the_bundled_subset(plan):
    val = [i for i in plan.images if i.folder == 'val']
    assert len(val) == 200
    assert {i.line for i in val} <= _bundled_val_lines()
    assert len({i.label for i in val}) == 100


def test_rejects_impossible_sizes():
    with pytest.raises(ValueError, match='episode_classes'):
        plan_fullshape_pinpp(episode_classes=51)
    with pytest.raises(ValueError, match='episode_per_class'):
        plan_fullshape_pinpp(episode_per_class=0)
    with pytest.raises(ValueError, match='fewer than val_per_class'):
        plan_fullshape_pinpp(val_per_class=11)


def _read_maps(root):
    """Global ids found in the 16-bit maps under ``root``, and how many
    maps were read."""
    found, num_maps = set(), 0
    for dirpath, _, names in os.walk(root):
        for name in names:
            seg = cv2.imread(osp.join(dirpath, name), cv2.IMREAD_UNCHANGED)
            assert seg.dtype == np.uint16
            found.update(np.unique(seg).tolist())
            num_maps += 1
    return found, num_maps


@pytest.mark.slow
def test_written_set_converts_to_the_official_label_space(tmp_path, plan):
    root = str(tmp_path / 'fullshape')
    done = make_fullshape_pinpp(root)
    assert done['num_images'] == dict(annotated=1285, unannotated=50, val=200)
    # The files are the plan's.
    for image in plan.images:
        with Image.open(osp.join(root, image.folder, image.file_name)) as im:
            assert im.size == (image.width, image.height)
            assert (im.format, im.mode) == dict(
                grayscale=('JPEG', 'L'), cmyk=('JPEG', 'CMYK'),
                png=('PNG', 'RGB')).get(image.quirk, ('JPEG', 'RGB'))
    with open(osp.join(root, 'meta', 'val.txt')) as f:
        val_lines = f.read().splitlines()
    assert len(val_lines) == 200 and set(val_lines) <= _bundled_val_lines()
    with open(osp.join(root, 'meta', 'part_counts.tsv')) as f:
        assert len(f.read().splitlines()) == 1001
    # A rerun with the same arguments writes nothing.
    stamp = osp.join(root, 'fullshape_pinpp.json')
    before = os.stat(stamp).st_mtime_ns
    assert make_fullshape_pinpp(root) == json.load(open(stamp))
    assert os.stat(stamp).st_mtime_ns == before
    with pytest.raises(FileExistsError, match='other arguments'):
        make_fullshape_pinpp(root, seed=1)

    out = str(tmp_path / 'processed')
    report = PINPPConverter(
        osp.join(root, 'release'),
        osp.join(root, 'train'),
        out,
        object_masks=True,
        instances=True).run()
    assert report['problems'] == {}  # no part-count mismatch, nothing else
    assert report['images'] == dict(converted=1285)
    assert report['num_part_classes'] == 3311
    space = LabelSpace.from_file(osp.join(out, 'label_space.tsv'))
    assert space.num_part_classes == 3311 and len(space.wnids) == 1000
    # Every part id of every class block is painted somewhere.
    part_ids, num_maps = _read_maps(osp.join(out, 'seg'))
    assert num_maps == 1285
    assert part_ids == set(range(3311))
    object_ids, _ = _read_maps(osp.join(out, 'obj'))
    assert object_ids == set(range(1001))
    assert sum(report['instances'][k]['images']
               for k in report['instances']) == 1285
