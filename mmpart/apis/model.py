# Copyright (c) mmpart contributors. All rights reserved.
"""Models by name from mmpart's model zoo, and classifier inference.

The shape of mmpretrain's ``list_models`` / ``get_model`` /
``init_model`` / ``inference_model``, over mmpart's own index
(:class:`~mmpart.utils.ModelHub`): names are config stems, and weights
load through mmpart's verified download
(:func:`~mmpart.utils.download_checkpoint`).
"""
import copy
import fnmatch
from pathlib import Path
from typing import List, Optional, Union

import numpy as np
import torch
from mmengine.config import Config
from mmengine.model import revert_sync_batchnorm
from mmengine.registry import init_default_scope
from mmengine.runner import CheckpointLoader, load_state_dict

from mmpart.registry import MODELS
from mmpart.utils import (ModelHub, check_checkpoint_coverage,
                          register_all_modules)
from mmpart.utils.checkpoint_coverage import loaded_state_dict
from .part_segmentation import ImageType, inference_pipeline


def list_models(pattern: Optional[str] = None) -> List[str]:
    """The model names of mmpart's model zoo.

    Args:
        pattern (str, optional): A wildcard pattern (``fnmatch``, case
            insensitive); a pattern without wildcards matches names that
            start with it, as in mmpretrain.

    Returns:
        list[str]: Sorted names.

    Examples:
        >>> list_models('mpm_*stage2*')
        ['mpm_resnet50-gelu_8xb64-stage2-at-80e_in1k-pinpp',
         'mpm_resnet50-gelu_8xb64-stage2-at-80e_in1k-pinpp-pseudo']
    """
    names = ModelHub.names()
    if pattern is None:
        return names
    pattern = pattern.lower()
    if not any(c in pattern for c in '*?['):
        pattern += '*'
    return [name for name in names if fnmatch.fnmatch(name.lower(), pattern)]


def get_model(model: Union[str, Path, Config],
              pretrained: Union[bool, str] = False,
              device: Union[str, torch.device, None] = None,
              allow_partial: bool = False,
              **kwargs) -> torch.nn.Module:
    """Build a model from the zoo or a config, with weights if asked.

    Args:
        model (str | Path | Config): A zoo name (see :func:`list_models`),
            a config file or a Config (copied, not changed).
        pretrained (bool | str): ``True``: the zoo's weights of the name
            (or a config's ``load_from``); a path or ``http(s)://`` URL:
            those weights, downloaded and verified (see
            :func:`~mmpart.utils.download_checkpoint`); ``False``: the
            initial weights (nothing is downloaded).
        device (str | torch.device, optional): Where to put the model.
        allow_partial (bool): Load weights that cover the model only in
            part (a warning lists the gaps); by default such a checkpoint
            (e.g. another model's) is refused.
        **kwargs: Overrides merged into ``config.model``.

    Returns:
        nn.Module: The model in eval mode, with ``cfg`` (the config) and
        ``dataset_meta`` (from the checkpoint's meta, else empty).

    Raises:
        ValueError: ``pretrained=True`` for a name without published
            weights (the message says how to get them, see
            :meth:`~mmpart.utils.ModelHub.get_with_weights`) or a config
            without ``load_from``.
        PartialCheckpointError: The weights do not cover the model (see
            :func:`~mmpart.utils.check_checkpoint_coverage`).
    """
    if isinstance(model, Config):
        config = copy.deepcopy(model)
    elif isinstance(model, (str, Path)) and str(model).endswith('.py'):
        config = Config.fromfile(str(model))
    elif isinstance(model, str):
        config = Config.fromfile(ModelHub.get(model).config)
        if pretrained is True:
            pretrained = ModelHub.get_with_weights(model).weights
    else:
        raise TypeError('model must be a zoo name, a config file or a '
                        f'Config, got {type(model)}')
    if pretrained is True:
        if not config.get('load_from'):
            raise ValueError('pretrained=True needs a zoo name or a config '
                             'with load_from; pass a path or URL instead')
        pretrained = config.load_from
    if kwargs:
        config.merge_from_dict({'model': kwargs})
    config.model.setdefault('data_preprocessor',
                            config.get('data_preprocessor', None))
    register_all_modules(init_default_scope=False)
    init_default_scope(config.get('default_scope', 'mmpart'))
    net = MODELS.build(config.model)
    dataset_meta = {}
    if pretrained:
        checkpoint = CheckpointLoader.load_checkpoint(
            pretrained, map_location='cpu')
        check_checkpoint_coverage(net, checkpoint, pretrained, allow_partial)
        load_state_dict(net, loaded_state_dict(checkpoint))
        dataset_meta = checkpoint.get('meta', {}).get('dataset_meta') or {}
    if device is None or torch.device(device).type == 'cpu':
        net = revert_sync_batchnorm(net)
    if device is not None:
        net.to(device)
    net.cfg = config
    net.dataset_meta = dataset_meta
    net.eval()
    return net


def init_model(config: Union[str, Path, Config],
               checkpoint: Optional[str] = None,
               device: Union[str, torch.device, None] = None,
               allow_partial: bool = False,
               **kwargs) -> torch.nn.Module:
    """Build a model from a config and load a checkpoint (path or URL).

    ``get_model(config, checkpoint or False, device, allow_partial,
    **kwargs)``, in the signature of mmpretrain's and mmseg's
    ``init_model``.

    Args:
        config (str | Path | Config): The config.
        checkpoint (str, optional): A path or URL; None keeps the initial
            weights.
        device (str | torch.device, optional): Where to put the model.
        allow_partial (bool): See :func:`get_model`.
        **kwargs: Overrides merged into ``config.model``.

    Returns:
        nn.Module: See :func:`get_model`.
    """
    return get_model(config, checkpoint or False, device, allow_partial,
                     **kwargs)


def inference_model(model: torch.nn.Module,
                    img: ImageType,
                    part_map: bool = False) -> dict:
    """Classify one image.

    Args:
        model (nn.Module): A classifier from :func:`get_model`.
        img (str | np.ndarray): An image file or an H×W×3 BGR uint8 array.
        part_map (bool): Also run an MPM's part bypass (which inference
            otherwise skips) and return its finest-scale part map.

    Returns:
        dict: ``pred_label`` (int), ``pred_score`` (float), ``pred_scores``
        (np.ndarray of the class probabilities), ``pred_class`` (its name,
        if ``model.dataset_meta`` has classes) and, with ``part_map``,
        ``part_map``: int64 global PIN++ part ids (0 background) at the
        network input's size (after the test pipeline's resize and crop).

    Raises:
        TypeError: ``part_map`` for a model without a part bypass.
    """
    if part_map and not hasattr(model, 'predict_parts'):
        raise TypeError(f'part_map=True needs an MPM (a model with a part '
                        f'bypass); got {type(model).__name__}')
    data = inference_pipeline(model.cfg)(img)
    predict_parts = getattr(model, 'predict_parts', False)
    if part_map:
        model.predict_parts = True
    try:
        with torch.no_grad():
            sample = model.test_step(
                dict(
                    inputs=[data['inputs']],
                    data_samples=[data['data_samples']]))[0]
    finally:
        if part_map:
            model.predict_parts = predict_parts
    scores = sample.pred_score.cpu().numpy()
    label = int(sample.pred_label.item())
    result = dict(
        pred_label=label,
        pred_score=float(scores[label]),
        pred_scores=scores)
    classes = (getattr(model, 'dataset_meta', None) or {}).get('classes')
    if classes:
        result['pred_class'] = classes[label]
    if part_map:
        result['part_map'] = sample.pred_part_map.cpu().numpy().astype(
            np.int64)
    return result
