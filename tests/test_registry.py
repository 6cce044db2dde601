# Copyright (c) mmpart contributors. All rights reserved.
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope, init_default_scope
from mmpretrain import registry as mmpretrain_registry
from mmpretrain.models import ImageClassifier

import mmpart
from mmpart import registry
from .conftest import PROJECT_ROOT


def test_registries_are_children_of_mmpretrain():
    for name in ('MODELS', 'DATASETS', 'TRANSFORMS', 'METRICS', 'HOOKS',
                 'BATCH_AUGMENTS', 'MODEL_WRAPPERS', 'LOOPS'):
        child = getattr(registry, name)
        assert child.scope == 'mmpart'
        assert child.parent is getattr(mmpretrain_registry, name)
    assert mmpart.__version__


def test_root_lists_mmpart_registries():
    # mmpart.registry adds each registry to its root's `children` (no public
    # call does); `mmpart.X` types in other scopes' configs rely on it.
    names = [name for name in dir(registry) if name.isupper()]
    assert names
    for name in names:
        child = getattr(registry, name)
        listed = child.root.children.get('mmpart')
        assert listed is child, (
            f'{name}: mmengine\'s root registry {child.root.name!r} does not '
            'list the mmpart registry among its children. mmengine changed '
            'Registry.children (mmpart was checked with mmengine 0.10.7); '
            'update mmpart.registry._child.')


@pytest.fixture
def probe_module():
    """A module registered in mmpart only, to check name resolution."""

    @registry.MODELS.register_module(force=True)
    class ScopeProbe(torch.nn.Module):

        def __init__(self, head=None):
            super().__init__()
            self.head = registry.MODELS.build(head) if head else None

    yield ScopeProbe
    registry.MODELS._module_dict.pop('ScopeProbe')


def _config(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return Config.fromfile(str(path))


def test_config_scopes_build(tmp_path, probe_module):
    init_default_scope('mmpart')
    runtime = f"'{PROJECT_ROOT}/configs/_base_/default_runtime.py'"
    cls_cfg = _config(tmp_path, 'cls.py', f"""
_base_ = ['mmpretrain::_base_/models/resnet18.py', {runtime}]
probe = dict(
    type='ScopeProbe',
    head=dict(_scope_='mmseg', type='FCNHead', in_channels=8, channels=4,
              num_classes=3, num_convs=1))
prefixed = dict(type='mmpart.ScopeProbe')
""")
    assert cls_cfg.default_scope == 'mmpart'
    assert cls_cfg.custom_imports.imports == ['mmpart']
    # mmpretrain:: base: its dicts carry the mmpretrain scope and build.
    assert cls_cfg.model._scope_ == 'mmpretrain'
    assert isinstance(registry.MODELS.build(cls_cfg.model), ImageClassifier)
    # An mmpart type with a nested mmseg head: the head's own default loss
    # must be mmseg's (it has `loss_name`), not mmpretrain's.
    probe = registry.MODELS.build(cls_cfg.probe)
    assert isinstance(probe, probe_module)
    assert type(probe.head).__module__.startswith('mmseg.')
    assert probe.head.loss_decode.loss_name == 'loss_ce'
    # The `mmpart.` prefix reaches mmpart from any registry, e.g. mmseg's.
    from mmseg.registry import MODELS as SEG_MODELS
    assert isinstance(SEG_MODELS.build(cls_cfg.prefixed), probe_module)
    # ... also when mmseg is the current scope (inside an mmseg-scoped
    # model dict), which resolves prefixes from the root's children.
    with DefaultScope.overwrite_default_scope('mmseg'):
        assert isinstance(SEG_MODELS.build(cls_cfg.prefixed), probe_module)

    # mmseg:: base: a whole segmentor builds from the mmpart default scope.
    seg_cfg = _config(tmp_path, 'seg.py', f"""
_base_ = ['mmseg::_base_/models/fcn_r50-d8.py', {runtime}]
norm_cfg = dict(type='BN', requires_grad=True)
model = dict(
    pretrained=None,
    backbone=dict(depth=18, norm_cfg=norm_cfg),
    decode_head=dict(
        in_channels=512, channels=32, norm_cfg=norm_cfg, num_classes=5),
    auxiliary_head=dict(
        in_channels=256, channels=16, norm_cfg=norm_cfg, num_classes=5))
""")
    from mmseg.models import EncoderDecoder
    seg = registry.MODELS.build(seg_cfg.model)
    assert isinstance(seg, EncoderDecoder)
    assert seg.decode_head.num_classes == 5
