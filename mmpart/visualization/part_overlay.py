# Copyright (c) mmpart contributors. All rights reserved.
from typing import List, Sequence, Tuple

import cv2
import numpy as np

LEGEND_ROW = 18  # pixels per legend line


def overlay_parts(img: np.ndarray, part_map: np.ndarray,
                  palette: Sequence[Sequence[int]],
                  alpha: float = 0.5) -> np.ndarray:
    """Blend part colours over an image and outline the parts.

    Args:
        img (np.ndarray): H×W×3 uint8 image (BGR).
        part_map (np.ndarray): H×W global part ids.
        palette (Sequence): Colour (BGR) per id.
        alpha (float): Weight of the part colour. Defaults to 0.5.

    Returns:
        np.ndarray: The blended image, uint8.
    """
    colours = np.asarray(palette, dtype=np.float32)[part_map]
    blended = img.astype(np.float32) * (1 - alpha) + colours * alpha
    out = np.round(np.where(part_map[..., None] > 0, blended,
                            img)).astype(np.uint8)
    # Part borders in black, so parts of similar colour stay apart.
    border = np.zeros(part_map.shape, bool)
    border[:, 1:] |= part_map[:, 1:] != part_map[:, :-1]
    border[1:, :] |= part_map[1:, :] != part_map[:-1, :]
    out[border] = 0
    return out


def render_part_legend_panel(img: np.ndarray, part_map: np.ndarray,
                             names: Sequence[str],
                             palette: Sequence[Sequence[int]],
                             title: str = '') -> Tuple[np.ndarray, List[int]]:
    """Image, overlay and a legend of the parts present, in one picture.

    Args:
        img (np.ndarray): H×W×3 uint8 image (BGR).
        part_map (np.ndarray): H×W global part ids.
        names (Sequence[str]): Name per id.
        palette (Sequence): Colour (BGR) per id.
        title (str): A line written above the legend.

    Returns:
        tuple: The panel (uint8 BGR) and the ids listed in the legend.
    """
    height, width = part_map.shape
    ids = [int(i) for i in np.unique(part_map) if i > 0]
    top = np.concatenate(
        [img, overlay_parts(img, part_map, palette)], axis=1)
    panel_width = max(top.shape[1], 320)
    rows = 1 + len(ids)
    legend = np.full((rows * LEGEND_ROW + 4, panel_width, 3), 255, np.uint8)
    font = cv2.FONT_HERSHEY_SIMPLEX
    cv2.putText(legend, title, (4, LEGEND_ROW - 5), font, 0.4, (0, 0, 0), 1,
                cv2.LINE_AA)
    for row, part_id in enumerate(ids, start=1):
        y = row * LEGEND_ROW
        colour = tuple(int(c) for c in palette[part_id])
        cv2.rectangle(legend, (4, y + 2), (16, y + LEGEND_ROW - 4), colour,
                      -1)
        share = 100.0 * (part_map == part_id).mean()
        cv2.putText(legend, f'{part_id}: {names[part_id]} ({share:.0f}%)',
                    (22, y + LEGEND_ROW - 5), font, 0.4, (0, 0, 0), 1,
                    cv2.LINE_AA)
    canvas = np.full((top.shape[0], panel_width, 3), 255, np.uint8)
    canvas[:, :top.shape[1]] = top
    return np.concatenate([canvas, legend], axis=0), ids
