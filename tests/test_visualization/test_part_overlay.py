# Copyright (c) mmpart contributors. All rights reserved.
import numpy as np

from mmpart.visualization import (overlay_parts, random_palette,
                                  render_part_legend_panel)


def test_overlay_blends_parts_and_outlines_them():
    img = np.full((10, 10, 3), 100, np.uint8)
    part_map = np.zeros((10, 10), np.uint16)
    part_map[2:8, 2:8] = 2
    palette = [[0, 0, 0], [0, 0, 255], [200, 0, 0]]
    out = overlay_parts(img, part_map, palette, alpha=0.5)
    assert (out[0, 0] == 100).all()  # background untouched
    assert out[4, 4].tolist() == [150, 50, 50]  # 0.5 * img + 0.5 * colour
    assert out[2, 4].tolist() == [0, 0, 0]  # a border pixel


def test_panel_lists_present_parts():
    img = np.zeros((20, 30, 3), np.uint8)
    part_map = np.zeros((20, 30), np.uint16)
    part_map[:5] = 7
    part_map[10:] = 3
    names = [f'p{i}' for i in range(8)]
    palette = [[i * 30, 0, 0] for i in range(8)]
    panel, ids = render_part_legend_panel(img, part_map, names, palette,
                                          title='x')
    assert ids == [3, 7]
    assert panel.shape[0] == 20 + 3 * 18 + 4
    assert panel.shape[1] == 320


def test_random_palette_is_fixed_with_black_background():
    palette = random_palette(3311)
    assert len(palette) == 3311 and palette[0] == [0, 0, 0]
    assert all(40 <= c <= 255 for colour in palette[1:] for c in colour)
    assert random_palette(3311) == palette
    assert random_palette(3311, seed=1) != palette
    assert random_palette(5) == palette[:5]
