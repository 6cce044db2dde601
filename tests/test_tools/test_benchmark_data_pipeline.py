# Copyright (c) mmpart contributors. All rights reserved.
"""tools/analysis_tools/benchmark_data_pipeline.py on a few tiny images."""
import re

import numpy as np
import pytest
import torch
from PIL import Image

from ..conftest import load_tool

benchmark = load_tool('tools/analysis_tools/benchmark_data_pipeline.py')


def test_benchmark_data_pipeline_prints_the_ratio(capsys):
    assert benchmark.main(['--images', '2', '--rounds', '2']) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4, lines
    assert lines[0].startswith('images: 2 from generated, mean ')
    for line, name in zip(lines[1:3], ('plain', 'mpm')):
        assert re.fullmatch(
            name + r': [\d.]+ samples/s per worker \(median [\d.]+ ms a '
            r'sample; rounds: [\d.]+, [\d.]+\)', line), line
    assert re.fullmatch(r'mpm_pipeline_vs_plain time_ratio=\d+\.\d\d',
                        lines[3]), lines[3]


def test_both_recipe_pipelines_crop_the_same_box(tmp_path):
    benchmark.make_images(str(tmp_path), 8)
    infos = benchmark.list_samples(str(tmp_path), 8)
    assert len(infos) == 8
    modes = []
    for info in infos:
        with Image.open(info['img_path']) as image:
            modes.append(image.mode)
    assert modes.count('L') == 1 and modes.count('RGB') == 7
    plain = benchmark.build_train_pipeline(benchmark.PLAIN_CONFIG)
    mpm = benchmark.build_train_pipeline(benchmark.MPM_CONFIG)
    both_regions = 0
    for seed, info in enumerate(infos):
        np.random.seed(seed)
        plain_out = plain(dict(info))
        np.random.seed(seed)
        mpm_out = mpm(dict(info))
        assert plain_out['inputs'].shape == (3, 224, 224)
        # The same random state gives the same crop, flip and jitter.
        assert torch.equal(plain_out['inputs'], mpm_out['inputs'])
        sample = mpm_out['data_samples']
        assert sample.gt_label.tolist() == [info['gt_label']]
        assert sample.gt_part_map.shape == (224, 224)
        assert sample.gt_part_map.dtype == torch.int64
        assert sample.part_map_valid
        part_ids = sample.gt_part_map.unique()
        assert part_ids.max() <= benchmark.MAX_PART_ID
        # The generated parts are 120 levels brighter than the background:
        # with the map aligned, the image is brighter where the map has parts.
        inside = sample.gt_part_map > 0
        if inside.any() and not inside.all():
            both_regions += 1
            brightness = mpm_out['inputs'].float().mean(0)
            assert (brightness[inside].mean() -
                    brightness[~inside].mean()) > 60
    assert both_regions >= 4


def test_list_samples_needs_maps(tmp_path):
    (tmp_path / 'img' / 'n0').mkdir(parents=True)
    Image.new('RGB', (8, 8)).save(tmp_path / 'img' / 'n0' / 'a.JPEG')
    with pytest.raises(FileNotFoundError, match='no img/<wnid>'):
        benchmark.list_samples(str(tmp_path), 4)
