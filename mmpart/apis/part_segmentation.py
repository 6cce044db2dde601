# Copyright (c) mmpart contributors. All rights reserved.
"""Part segmentation of single images with a PIN++ part segmenter: the part
map and the object map it implies.

The functions follow mmseg's ``init_model`` / ``inference_model`` and reuse
``init_model`` to build the model; the picture of a result (mmseg's
``show_result_pyplot``) is
:func:`mmpart.visualization.render_part_seg_result`.
"""
import copy
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Tuple, Union

import numpy as np
import torch
from mmcv.transforms import Compose
from mmengine.config import Config
from mmengine.fileio import exists
from mmengine.model import revert_sync_batchnorm
from mmengine.runner import load_checkpoint
from mmseg.apis import init_model
from mmseg.utils import register_all_modules as register_mmseg_modules

from mmpart.datasets import LABEL_SPACE_FILE, LabelSpace, resolve_data_file
from mmpart.models import PartEncoderDecoder
from mmpart.structures import object_map_id
from mmpart.utils import register_all_modules
from mmpart.visualization import random_palette

#: Transforms of a test pipeline that load annotations, which an image
#: given for inference does not have.
ANNOTATION_LOADERS = ('LoadAnnotations', 'LoadPartMap')

ImageType = Union[str, np.ndarray]


@dataclass
class PartSegResult:
    """The part segmentation of one image.

    Args:
        part_map (np.ndarray): H×W int64 global part ids (0 background) over
            all objects' parts, at the image's size.
        object_map (np.ndarray): H×W int64 object-map ids: 0 background,
            else the object label of the part's class plus one.
        part_names (tuple[str]): Name of each part id.
        object_names (tuple[str]): Name of each object-map id,
            ``'background'`` first.
        palette (list): Colour (BGR) of each part id.
        class_aware_part_map (np.ndarray, optional): H×W int64 part ids
            restricted to the background and the parts of the object
            ``object_label``; None unless an object was given.
        object_label (int, optional): The object the class-aware map is
            restricted to.
    """
    part_map: np.ndarray
    object_map: np.ndarray
    part_names: Tuple[str, ...]
    object_names: Tuple[str, ...]
    palette: List[List[int]]
    class_aware_part_map: Optional[np.ndarray] = None
    object_label: Optional[int] = None

    @property
    def shown_part_map(self) -> np.ndarray:
        """The map a picture shows: the class-aware one when an object was
        given, else the part map."""
        if self.class_aware_part_map is not None:
            return self.class_aware_part_map
        return self.part_map

    def part_shares(self) -> List[Tuple[int, str, float]]:
        """The parts in :attr:`shown_part_map`, largest first.

        Returns:
            list[tuple[int, str, float]]: ``(id, name, share of the image)``
            of every part id present, the background left out.
        """
        ids, counts = np.unique(self.shown_part_map, return_counts=True)
        shares = [(int(i), self.part_names[i], n / self.shown_part_map.size)
                  for i, n in zip(ids, counts) if i > 0]
        return sorted(shares, key=lambda share: -share[2])


def resolve_label_space(cfg: Config,
                        label_space: Union[str, LabelSpace, None] = None
                        ) -> LabelSpace:
    """The label space of a part segmenter's config, or the one given.

    Args:
        cfg (Config): The config; its ``test_dataloader.dataset`` names the
            label-space file (``label_space``, default
            ``'label_space.tsv'``, relative to ``data_root``).
        label_space (str | LabelSpace, optional): A ``label_space.tsv``
            file or a label space, used instead of the config's.

    Returns:
        LabelSpace: The label space.

    Raises:
        FileNotFoundError: Neither names an existing file.
    """
    if isinstance(label_space, LabelSpace):
        return label_space
    if label_space is None:
        dataset = cfg.get('test_dataloader', {}).get('dataset', {})
        label_space = resolve_data_file(
            dataset.get('label_space', LABEL_SPACE_FILE),
            dataset.get('data_root'))
        where = 'the label space of the config\'s test dataset'
    else:
        where = 'the label space given'
    if not exists(label_space):
        raise FileNotFoundError(
            f'{where}, {label_space!r}, does not exist. Part segmentation '
            'needs the PIN++ label space (label_space.tsv of the processed '
            'data) to name the parts and map them to objects: pass '
            'label_space=, or set test_dataloader.dataset.data_root.')
    return LabelSpace.from_file(label_space)


def init_part_segmentor(config: Union[str, Path, Config],
                        checkpoint: Optional[str] = None,
                        device: str = 'cpu',
                        cfg_options: Optional[dict] = None,
                        label_space: Union[str, LabelSpace, None] = None
                        ) -> torch.nn.Module:
    """Build a part segmenter from a config and load its checkpoint.

    As mmseg's ``init_model`` (which builds the model), plus: the
    checkpoint goes through mmengine's ``load_checkpoint`` (with mmpart's
    weights-only allow-list), SyncBN becomes BN on a CPU, and the model
    gets the PIN++ label space as ``model.label_space``. Its
    ``dataset_meta`` holds the checkpoint's class names, else the label
    space's part names, and their palette.

    Args:
        config (str | Path | Config): The config (a Config is copied, not
            changed).
        checkpoint (str, optional): The checkpoint; None keeps the
            initial weights.
        device (str): Defaults to ``'cpu'``.
        cfg_options (dict, optional): Config overrides.
        label_space (str | LabelSpace, optional): The label space, if not
            the one of the config's test dataset.

    Returns:
        nn.Module: The segmenter in eval mode, with ``cfg``,
        ``dataset_meta`` and ``label_space``.

    Raises:
        FileNotFoundError: No label space (see :func:`resolve_label_space`).
        ValueError: The model's class count is not the label space's.

    Examples:
        >>> model = init_part_segmentor(
        ...     'configs/toy/upernet_r18_1xb16-300i_toy-pinpp-parts-96x96.py',
        ...     'work_dirs/upernet_r18_1xb16-300i_toy-pinpp-parts-96x96/'
        ...     'iter_300.pth')
        >>> model.label_space
        LabelSpace(10 objects, 44 part classes)
    """
    register_mmseg_modules(init_default_scope=False)
    register_all_modules(init_default_scope=False)
    if isinstance(config, (str, Path)):
        config = Config.fromfile(config)
    elif isinstance(config, Config):
        config = copy.deepcopy(config)
    else:
        raise TypeError(f'config must be a file name or a Config, got '
                        f'{type(config)}')
    if cfg_options is not None:
        config.merge_from_dict(cfg_options)
    space = resolve_label_space(config, label_space)
    model = init_model(config, None, device)
    if torch.device(device).type == 'cpu':
        model = revert_sync_batchnorm(model)
    meta = {}
    if checkpoint is not None:
        loaded = load_checkpoint(model, checkpoint, map_location='cpu')
        meta = loaded.get('meta', {}).get('dataset_meta') or {}
    classes = tuple(meta.get('classes') or space.part_names)
    if not len(classes) == model.num_classes == space.num_part_classes:
        raise ValueError(
            f'the model predicts {model.num_classes} classes and names '
            f'{len(classes)}, but the label space has '
            f'{space.num_part_classes} part classes: a part segmenter '
            'predicts every part class of its label space.')
    model.dataset_meta = dict(
        classes=classes,
        palette=meta.get('palette') or random_palette(len(classes)))
    model.label_space = space
    return model


def object_map_ids(label_space: LabelSpace) -> np.ndarray:
    """The object-map id of each global part id.

    Args:
        label_space (LabelSpace): The label space.

    Returns:
        np.ndarray: int64 lookup table, 0 for the background and
        :func:`~mmpart.structures.object_map_id` for the parts of an object.
    """
    ids = np.zeros(label_space.num_part_classes, np.int64)
    for wnid, start in label_space.part_offsets.items():
        stop = start + label_space.part_counts[wnid]
        ids[start:stop] = object_map_id(label_space.object_label[wnid])
    return ids


def _object_label(label_space: LabelSpace, object_class: Union[int,
                                                               str]) -> int:
    """The object label of a wnid or an object label."""
    if isinstance(object_class, str):
        if object_class not in label_space.object_label:
            raise ValueError(f'wnid {object_class!r} is not in the label '
                             f'space {label_space}')
        return label_space.object_label[object_class]
    if not isinstance(object_class, (int, np.integer)):
        raise TypeError(f'object_class must be a wnid or an object label, '
                        f'got {object_class!r}')
    if not 0 <= object_class < len(label_space.wnids):
        raise ValueError(f'object label {object_class} is out of range for '
                         f'the label space {label_space}')
    return int(object_class)


def inference_pipeline(cfg: Config) -> Compose:
    """The test pipeline of a config, for an image path or array.

    As ``MMSegInferencer``: the annotation loaders are dropped and the
    image loader becomes mmseg's ``InferencerLoader``, which takes a path
    or a BGR array. (mmseg's ``_preprare_data`` is not used: it edits the
    config in place, keeps ``LoadPartMap`` and names its array loader
    without the ``mmseg`` scope, which mmpart configs need.)

    Args:
        cfg (Config): The config; its ``test_dataloader.dataset.pipeline``
            is used.

    Returns:
        Compose: The pipeline.
    """
    pipeline = []
    for transform in copy.deepcopy(cfg.test_dataloader.dataset.pipeline):
        name = transform['type'].split('.')[-1]
        if name in ANNOTATION_LOADERS:
            continue
        if name == 'LoadImageFromFile':
            # Built in mmseg's scope, where it finds its two inner loaders.
            transform.update(type='InferencerLoader', _scope_='mmseg')
        pipeline.append(transform)
    if not any(t['type'] == 'InferencerLoader' for t in pipeline):
        raise ValueError('the test pipeline has no LoadImageFromFile: '
                         f'{cfg.test_dataloader.dataset.pipeline}')
    return Compose(pipeline)


def inference_part_segmentor(
        model: torch.nn.Module,
        img: ImageType,
        object_class: Union[int, str, None] = None) -> PartSegResult:
    """Segment the parts of one image.

    Args:
        model (nn.Module): A segmenter from :func:`init_part_segmentor`.
        img (str | np.ndarray): An image file or an H×W×3 BGR uint8 array.
        object_class (int | str, optional): An object label or wnid: also
            predict the class-aware part map, restricted to the background
            and this object's parts. Needs a ``PartEncoderDecoder``.

    Returns:
        PartSegResult: The maps, at the image's size.

    Examples:
        >>> result = inference_part_segmentor(model, 'tench.JPEG',
        ...                                   object_class='n01440764')
        >>> result.part_map.shape  # the image's
        (96, 96)
        >>> np.unique(result.class_aware_part_map)  # tench's parts: 1 to 4
        array([0, 1, 3])
    """
    space = getattr(model, 'label_space', None)
    if space is None:
        raise ValueError(f'the model ({type(model).__name__}) has no label '
                         'space: build it with init_part_segmentor')
    object_label = None
    data = inference_pipeline(model.cfg)(img)
    if object_class is not None:
        if not isinstance(model, PartEncoderDecoder):
            raise TypeError(
                'a class-aware part map needs a PartEncoderDecoder (model '
                'type mmpart.PartEncoderDecoder), which restricts its '
                f'prediction to one object\'s parts; got '
                f'{type(model).__name__}')
        object_label = _object_label(space, object_class)
        wnid = space.wnids[object_label]
        start = space.part_offsets[wnid]
        data['data_samples'].set_metainfo(
            dict(part_id_range=(start, start + space.part_counts[wnid])))
    with torch.no_grad():
        sample = model.test_step(
            dict(
                inputs=[data['inputs']],
                data_samples=[data['data_samples']]))[0]
    part_map = sample.pred_sem_seg.data[0].cpu().numpy().astype(np.int64)
    class_aware = None
    if object_label is not None:
        class_aware = sample.pred_class_aware_sem_seg.data[0].cpu().numpy(
        ).astype(np.int64)
    return PartSegResult(
        part_map=part_map,
        object_map=object_map_ids(space)[part_map],
        part_names=tuple(model.dataset_meta['classes']),
        object_names=space.object_class_names,
        palette=list(model.dataset_meta['palette']),
        class_aware_part_map=class_aware,
        object_label=object_label)
