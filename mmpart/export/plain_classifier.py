# Copyright (c) mmpart contributors. All rights reserved.
"""Turn an mmpart classifier (MPM, adversarially trained classifiers) into a
plain mmpretrain ``ImageClassifier`` that vanilla mmpretrain loads."""
import copy
from collections import OrderedDict
from typing import Callable, Dict, List, Optional, Tuple

import torch
from mmengine.config import Config, ConfigDict
from mmpretrain import registry as mmpretrain_registry

from mmpart.registry import MODELS, TRANSFORMS

#: The parts of a classifier that the plain one keeps; other weights (the
#: part bypass, the part loss) are training-only.
_CLASSIFIER_KEYS = ('backbone', 'neck', 'head')
_RESNET_DEPTH_NAMES = {
    18: 'resnet18',
    34: 'resnet34',
    50: 'resnet50',
    101: 'resnet101',
    152: 'resnet152'
}
#: ``ResNetGELU`` arguments that the timm ResNet it becomes honours (or
#: that only matter in training).
_RESNET_GELU_KEYS = ('type', 'depth', 'num_stages', 'out_indices', 'style',
                     'frozen_stages', 'norm_eval', 'norm_cfg')

PlainBackbone = Tuple[dict, str, str]


def resnet_gelu_as_timm(backbone: dict) -> PlainBackbone:
    """``ResNetGELU`` as mmpretrain's ``TIMMBackbone``.

    mmpretrain's ResNet has no activation option; timm's ResNet has the
    same layers and parameter names, and takes ``act_layer='gelu'``.

    Args:
        backbone (dict): The ``ResNetGELU`` config.

    Returns:
        tuple[dict, str, str]: The plain backbone config, the checkpoint key
        prefix to replace and its replacement.
    """
    unsupported = {k: v for k, v in backbone.items()
                   if k not in _RESNET_GELU_KEYS}
    if (unsupported or backbone.get('style', 'pytorch') != 'pytorch'
            or backbone.get('depth') not in _RESNET_DEPTH_NAMES):
        raise ValueError('only standard pytorch-style ResNetGELU backbones '
                         f'of depth {sorted(_RESNET_DEPTH_NAMES)} can be '
                         f'exported, got {backbone}')
    plain = dict(
        type='TIMMBackbone',
        model_name=_RESNET_DEPTH_NAMES[backbone['depth']],
        act_layer='gelu',
        pretrained=False,
        features_only=False)
    return plain, 'backbone.', 'backbone.timm_model.'


#: mmpart backbones and how vanilla mmpretrain expresses them: registered
#: name -> function from the backbone config to the plain config, the
#: checkpoint key prefix to replace and its replacement. mmpretrain's own
#: backbones pass through; any other mmpart backbone must be added here.
PLAIN_BACKBONES: Dict[str, Callable[[dict], PlainBackbone]] = dict(
    ResNetGELU=resnet_gelu_as_timm)

#: mmpart test transforms and their plain mmpretrain counterparts (None:
#: dropped). At inference there is no part map to load or move; mmpart's
#: ``LoadImageFromFile`` is mmcv's under the same name (it only names the
#: file in decoding errors).
PLAIN_TRANSFORMS: Dict[str, Optional[str]] = dict(
    LoadImageFromFile='LoadImageFromFile',
    LoadPartMap=None,
    PartResizeEdge='ResizeEdge',
    PartRandomResizedCrop='RandomResizedCrop',
    PackPartInputs='PackInputs')


def _scope_and_name(cfg: dict) -> Tuple[Optional[str], str]:
    """The scope (``mmpart.X`` or ``_scope_``; None: the default one) and
    the registered name of a module config."""
    type_name = cfg['type']
    if not isinstance(type_name, str):
        raise TypeError(f'cannot export a config whose type is not a '
                        f'registered name: {cfg}')
    scope, _, name = type_name.rpartition('.')
    return scope or cfg.get('_scope_'), name


def _is_mmpart(scope: Optional[str], name: str, registry) -> bool:
    """Whether ``name`` resolves to an mmpart module of ``registry`` (bare
    names resolve in mmpart first, as in mmpart configs)."""
    registry.import_from_location()
    return scope in (None, 'mmpart') and name in registry.module_dict


def _mmpretrain_module(cfg: dict, kind: str) -> dict:
    """``cfg`` without its scope, if vanilla mmpretrain has the module.

    Args:
        cfg (dict): A module config of the mmpart model.
        kind (str): What it is (``'backbone'``, ``'neck'``, ``'head'``), for
            the error.

    Returns:
        dict: The config with a bare mmpretrain type name.
    """
    cfg = copy.deepcopy(dict(cfg))
    scope, name = _scope_and_name(cfg)
    if _is_mmpart(scope, name, MODELS):
        table = (' (add it to mmpart.export.PLAIN_BACKBONES, which knows '
                 f'{sorted(PLAIN_BACKBONES)})' if kind == 'backbone' else '')
        raise ValueError(f'{kind} {name!r} is an mmpart module without a '
                         f'plain mmpretrain form{table}')
    if scope not in (None, 'mmpretrain') or mmpretrain_registry.MODELS.get(
            name) is None:
        raise ValueError(f'{kind} {cfg["type"]!r} is not an mmpretrain '
                         'module, so vanilla mmpretrain cannot build it')
    cfg.pop('_scope_', None)
    cfg['type'] = name
    return cfg


def plain_backbone(backbone: dict) -> PlainBackbone:
    """Backbone config for vanilla mmpretrain and the key prefix mapping.

    mmpart backbones are looked up in :data:`PLAIN_BACKBONES`; mmpretrain
    backbones keep only their last output stage and are not frozen.

    Args:
        backbone (dict): The backbone config of the mmpart model.

    Returns:
        tuple[dict, str, str]: The plain config, the checkpoint key prefix
        to replace and its replacement.
    """
    backbone = dict(backbone)
    backbone.pop('init_cfg', None)
    scope, name = _scope_and_name(backbone)
    if scope in (None, 'mmpart') and name in PLAIN_BACKBONES:
        backbone.pop('_scope_', None)
        return PLAIN_BACKBONES[name](dict(backbone, type=name))
    backbone = _mmpretrain_module(backbone, 'backbone')
    # MPM's bypass reads earlier stages; the plain classifier only the last.
    if 'out_indices' in backbone:
        indices = backbone['out_indices']
        indices = indices if isinstance(indices, (list, tuple)) else [indices]
        backbone['out_indices'] = (max(indices), )
    backbone.pop('frozen_stages', None)
    return backbone, 'backbone.', 'backbone.'


def plain_test_pipeline(pipeline: List[dict]) -> List[dict]:
    """The test pipeline with every mmpart transform replaced by its plain
    counterpart in :data:`PLAIN_TRANSFORMS` (or dropped).

    Args:
        pipeline (list[dict]): Transform configs.

    Returns:
        list[dict]: The pipeline for vanilla mmpretrain.

    Examples:
        >>> plain_test_pipeline([
        ...     dict(type='LoadImageFromFile'), dict(type='LoadPartMap'),
        ...     dict(type='PartResizeEdge', scale=256, edge='short'),
        ...     dict(type='PackPartInputs')])
        [{'type': 'LoadImageFromFile'}, {'type': 'ResizeEdge', 'scale': 256,
        'edge': 'short'}, {'type': 'PackInputs'}]
    """
    plain = []
    for transform in pipeline:
        transform = copy.deepcopy(dict(transform))
        scope, name = _scope_and_name(transform)
        if scope in (None, 'mmpart') and name in PLAIN_TRANSFORMS:
            if PLAIN_TRANSFORMS[name] is None:
                continue
            name = PLAIN_TRANSFORMS[name]
        elif _is_mmpart(scope, name, TRANSFORMS):
            raise ValueError(
                f'test transform {name!r} is an mmpart transform without a '
                'plain counterpart in mmpart.export.PLAIN_TRANSFORMS (known: '
                f'{sorted(PLAIN_TRANSFORMS)})')
        transform.pop('_scope_', None)
        transform['type'] = name
        plain.append(transform)
    return plain


def _test_pipeline(cfg: Config) -> Optional[List[dict]]:
    """The pipeline the config tests with, if it has one."""
    dataset = (cfg.get('test_dataloader') or {}).get('dataset') or {}
    return dataset.get('pipeline', cfg.get('test_pipeline'))


def export_plain_classifier(
        cfg: Config,
        state_dict: Dict[str, torch.Tensor]) -> Tuple[ConfigDict, OrderedDict]:
    """Drop training-only parts and express the model in vanilla mmpretrain.

    Args:
        cfg (Config): The mmpart config: its ``model`` (``MPMClassifier``,
            ``AdvImageClassifier`` or ``ImageClassifier``), top-level
            ``data_preprocessor`` if the model has none, and test pipeline.
        state_dict (dict): The model's weights (EMA weights for an
            EMA-trained checkpoint: mmengine saves those as ``state_dict``).

    Returns:
        tuple[ConfigDict, OrderedDict]: The exported config and its state
        dict. The config holds an ``ImageClassifier`` in the mmpretrain
        scope and, if ``cfg`` has a test pipeline, that pipeline with plain
        transforms as ``test_pipeline`` and in a ``test_dataloader`` of
        mmpretrain's generic ``CustomDataset``, where mmpretrain's
        ``ImageClassificationInferencer`` reads it (give the dataset a
        ``data_root`` to test on files).

    Examples:
        >>> plain_cfg, weights = export_plain_classifier(
        ...     Config.fromfile(config), checkpoint['state_dict'])
    """
    model_cfg = cfg.model
    if _scope_and_name(model_cfg)[1] == 'TwoStagePartClassifier':
        raise ValueError('the two-stage part model needs its segmenter at '
                         'inference and cannot be exported as a plain '
                         'classifier')
    backbone, old, new = plain_backbone(model_cfg['backbone'])
    preprocessor = dict(
        model_cfg.get('data_preprocessor') or cfg.get('data_preprocessor')
        or {})
    for key in ('type', '_scope_', 'batch_augments', 'pseudo_weight'):
        preprocessor.pop(key, None)
    plain = dict(
        type='ImageClassifier',
        backbone=backbone,
        data_preprocessor=dict(type='ClsDataPreprocessor', **preprocessor))
    for key in ('neck', 'head'):
        if model_cfg.get(key):
            plain[key] = _mmpretrain_module(model_cfg[key], key)
    weights = OrderedDict()
    for key, value in state_dict.items():
        if key.split('.')[0] not in _CLASSIFIER_KEYS:
            continue
        if key.startswith(old):
            key = new + key[len(old):]
        weights[key] = value
    exported = ConfigDict(model=plain, default_scope='mmpretrain')
    pipeline = _test_pipeline(cfg)
    if pipeline is not None:
        exported.test_pipeline = plain_test_pipeline(pipeline)
        exported.test_dataloader = dict(
            dataset=dict(
                type='CustomDataset', pipeline=exported.test_pipeline))
    return exported, weights
