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

    The overlay is drawn at half opacity; :func:`render_part_overlay_panel`
    takes the opacity as an argument.

    Args:
        img (np.ndarray): H×W×3 uint8 image (BGR).
        part_map (np.ndarray): H×W global part ids.
        names (Sequence[str]): Name per id.
        palette (Sequence): Colour (BGR) per id.
        title (str): A line written above the legend.

    Returns:
        tuple: The panel (uint8 BGR) and the ids listed in the legend.
    """
    return render_part_overlay_panel(img, part_map, names, palette,
                                     title=title)


def render_part_overlay_panel(img: np.ndarray,
                              part_map: np.ndarray,
                              names: Sequence[str],
                              palette: Sequence[Sequence[int]],
                              alpha: float = 0.5,
                              title: str = '') -> Tuple[np.ndarray, List[int]]:
    """Image and overlay side by side, a legend of the parts present below.

    Each legend line gives a part's colour, id, name and share of the
    image. The panel is at least 320 pixels wide, so the legend stays
    readable under small images.

    Args:
        img (np.ndarray): H×W×3 uint8 image (BGR).
        part_map (np.ndarray): H×W global part ids.
        names (Sequence[str]): Name per id.
        palette (Sequence): Colour (BGR) per id.
        alpha (float): Weight of the part colours in the overlay, in
            ``[0, 1]``. Defaults to 0.5.
        title (str): A line written above the legend.

    Returns:
        tuple: The panel (uint8 BGR) and the ids listed in the legend.

    Examples:
        >>> img = np.zeros((20, 30, 3), np.uint8)
        >>> part_map = np.zeros((20, 30), np.int64)
        >>> part_map[:5] = 2
        >>> panel, ids = render_part_overlay_panel(
        ...     img, part_map, ['background', 'a', 'b'],
        ...     [[0, 0, 0], [0, 0, 255], [0, 255, 0]], alpha=0.8)
        >>> panel.shape, ids
        ((60, 320, 3), [2])
    """
    if not 0 <= alpha <= 1:
        raise ValueError(f'alpha must be in [0, 1], got {alpha}')
    ids = [int(i) for i in np.unique(part_map) if i > 0]
    top = np.concatenate(
        [img, overlay_parts(img, part_map, palette, alpha)], axis=1)
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
        share_text = f'{share:.0f}%' if share >= 1 else '<1%'
        cv2.putText(legend, f'{part_id}: {names[part_id]} ({share_text})',
                    (22, y + LEGEND_ROW - 5), font, 0.4, (0, 0, 0), 1,
                    cv2.LINE_AA)
    canvas = np.full((top.shape[0], panel_width, 3), 255, np.uint8)
    canvas[:, :top.shape[1]] = top
    return np.concatenate([canvas, legend], axis=0), ids
