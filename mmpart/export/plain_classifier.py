# Copyright (c) mmpart contributors. All rights reserved.
"""Turn an mmpart classifier (MPM, adversarially trained classifiers) into a
plain mmpretrain ``ImageClassifier`` that vanilla mmpretrain loads."""
import copy
from collections import OrderedDict
from typing import Dict, Tuple

import torch
from mmengine.config import ConfigDict

#: mmpart backbones and how vanilla mmpretrain expresses them (+ timm).
_RESNET_GELU_NAMES = {18: 'resnet18', 34: 'resnet34', 50: 'resnet50',
                      101: 'resnet101', 152: 'resnet152'}
_CLASSIFIER_KEYS = ('backbone', 'neck', 'head')


def _plain_backbone(backbone: dict) -> Tuple[dict, str, str]:
    """Backbone config for vanilla mmpretrain and the key prefix mapping.

    Returns:
        tuple: The config, the checkpoint prefix to replace and its
        replacement.
    """
    backbone = copy.deepcopy(dict(backbone))
    backbone.pop('_scope_', None)
    backbone.pop('init_cfg', None)
    if backbone['type'] in ('ResNetGELU', 'mmpart.ResNetGELU'):
        unsupported = {k: v for k, v in backbone.items()
                       if k not in ('type', 'depth', 'num_stages',
                                    'out_indices', 'style', 'frozen_stages',
                                    'norm_eval', 'norm_cfg')}
        if unsupported or backbone.get('style', 'pytorch') != 'pytorch':
            raise ValueError('only standard ResNetGELU backbones can be '
                             f'exported, got {backbone}')
        # mmpretrain's ResNet has no activation option; timm's ResNet has
        # the same layers and parameter names, and GELU.
        plain = dict(type='TIMMBackbone',
                     model_name=_RESNET_GELU_NAMES[backbone['depth']],
                     act_layer='gelu', pretrained=False,
                     features_only=False)
        return plain, 'backbone.', 'backbone.timm_model.'
    if 'out_indices' in backbone:
        indices = backbone['out_indices']
        indices = indices if isinstance(indices, (list, tuple)) else [indices]
        backbone['out_indices'] = (max(indices), )
    backbone.pop('frozen_stages', None)
    return backbone, 'backbone.', 'backbone.'


def export_plain_classifier(
        model_cfg: dict, state_dict: Dict[str, torch.Tensor],
        data_preprocessor: dict = None) -> Tuple[ConfigDict, OrderedDict]:
    """Drop training-only parts and express the model in vanilla mmpretrain.

    Args:
        model_cfg (dict): The mmpart model config (``MPMClassifier``,
            ``AdvImageClassifier`` or ``ImageClassifier``).
        state_dict (dict): Its weights (EMA weights for an EMA-trained
            checkpoint: mmengine saves those as ``state_dict``).
        data_preprocessor (dict, optional): The config's top-level data
            preprocessor, if the model has none.

    Returns:
        tuple: The exported model config (``ImageClassifier`` in the
        mmpretrain scope) and its state dict.
    """
    if model_cfg.get('type', '').split('.')[-1] == 'TwoStagePartClassifier':
        raise ValueError('the two-stage part model needs its segmenter at '
                         'inference and cannot be exported as a plain '
                         'classifier')
    backbone, old, new = _plain_backbone(model_cfg['backbone'])
    preprocessor = dict(model_cfg.get('data_preprocessor') or
                        data_preprocessor or {})
    for key in ('type', '_scope_', 'batch_augments', 'pseudo_weight'):
        preprocessor.pop(key, None)
    plain = dict(
        type='ImageClassifier',
        backbone=backbone,
        data_preprocessor=dict(type='ClsDataPreprocessor', **preprocessor))
    for key in ('neck', 'head'):
        if model_cfg.get(key):
            part = copy.deepcopy(dict(model_cfg[key]))
            part.pop('_scope_', None)
            plain[key] = part
    weights = OrderedDict()
    for key, value in state_dict.items():
        if key.split('.')[0] not in _CLASSIFIER_KEYS:
            continue  # bypass, part loss and other training-only modules
        if key.startswith(old):
            key = new + key[len(old):]
        weights[key] = value
    cfg = ConfigDict(model=plain, default_scope='mmpretrain')
    return cfg, weights
