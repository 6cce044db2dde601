# Copyright (c) mmpart contributors. All rights reserved.
"""Every config under ``configs/`` loads, and what it names builds.

- Robustness suite configs (``configs/robustness/*_suite.py``) only load:
  they are not model configs (the suite validates its own schema).
- Every other config builds its model in its ``default_scope``, without
  loading weights (``init_cfg`` pretrained checkpoints stay unread), and
  names registered datasets, transforms, loops and attack protocols.
- Configs on the toy set (``data/toy_pinpp...``) build their train, val
  and test datasets on the session's toy fixtures laid out as
  ``tools/run_toy.sh`` lays them out; ImageNet-scale configs name bundled
  lists (``mmpart::<file>``) that resolve, PIN++-scale segmentation
  configs the converter's train, val and test split lists, and instance
  segmentation configs its instance files (evaluators included).
- Dataset wrappers (``ClassBalancedDataset``) are checked through to the
  dataset they wrap.
"""
import glob
import json
import os
import os.path as osp
import pickle

import pytest
from mmengine.config import Config, ConfigDict
from mmengine.registry import DefaultScope
from mmengine.runner.checkpoint import CheckpointLoader

from mmpart.datasets import (PINPPDeepEMDDataset, PINPPFewShotDataset,
                             PINPPMetaBaselineDataset)
from mmpart.datasets.layout import SPLIT_NAMES, PINPPLayout
from mmpart.datasets.lists import (BUNDLED_PREFIX, read_pseudo_flags,
                                   resolve_bundled)
from mmpart.models.attacks import resolve_attack_cfg
from mmpart.registry import DATASETS, LOOPS, MODELS, TRANSFORMS
from ..conftest import PROJECT_ROOT

CONFIG_DIR = osp.join(PROJECT_ROOT, 'configs')
ALL_CONFIGS = sorted(
    osp.relpath(path, CONFIG_DIR)
    for path in glob.glob(osp.join(CONFIG_DIR, '**', '*.py'), recursive=True)
    if '_base_' not in osp.relpath(path, CONFIG_DIR).split(os.sep))
SUITE_CONFIGS = [c for c in ALL_CONFIGS if c.endswith('_suite.py')]
MODEL_CONFIGS = [c for c in ALL_CONFIGS if c not in SUITE_CONFIGS]
LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
#: Datasets that read the converter's split lists, not bundled lists.
SPLIT_LIST_DATASETS = {'PINPPPartSegDataset', 'PINPPObjectSegDataset'}
#: Datasets that read the converter's instance files: the file of a split
#: in each one's format (COCO, or LVIS as the official benchmark's).
INSTANCE_FILES = {
    'PINPPInstanceDataset': PINPPLayout.instance_file,
    'PINPPLVISDataset': PINPPLayout.lvis_instance_file,
}
#: Where the toy configs expect the toy set (``tools/run_toy.sh``).
TOY_ROOT = 'data/toy_pinpp'
#: Where the toy few-shot configs expect theirs
#: (``tools/run_toy_fewshot.sh``).
TOY_FEWSHOT_ROOT = 'data/toy_pinpp_fewshot/processed'
#: Datasets that read a class split.
FEWSHOT_DATASETS = {'PINPPFewShotDataset'}
#: Datasets that read the official few-shot files, and the split each
#: loader reads.
OFFICIAL_FEWSHOT_DATASETS = {'PINPPMetaBaselineDataset', 'PINPPDeepEMDDataset'}
OFFICIAL_FEWSHOT_SPLITS = dict(
    train_dataloader='train', val_dataloader='val', test_dataloader='test')
#: Where the configs on the official few-shot files expect them, at PIN++
#: scale and on the toy few-shot set (``tools/run_toy_fewshot.sh``).
OFFICIAL_FEWSHOT_ROOT = 'data/pinpp_fewshot_official'
TOY_FEWSHOT_OFFICIAL_ROOT = 'data/toy_pinpp_fewshot/official'
#: The data-sample fields each packing transform must produce.
PACKED_FIELDS = {
    'PackInputs': {'gt_label'},
    'PackPartInputs': {'gt_label', 'gt_part_map'},
    'mmseg.PackSegInputs': {'gt_sem_seg'},
    'PackPartSegInputs': {'gt_sem_seg'},
    'mmdet.PackDetInputs': {'gt_instances'},
}


def _load(config: str) -> Config:
    return Config.fromfile(osp.join(CONFIG_DIR, config))


def _datasets(cfg: Config) -> dict:
    """The dataset config of each dataloader, by dataloader name; the
    wrapped dataset for a dataset wrapper."""
    datasets = {}
    for name in LOADERS:
        if cfg.get(name) is None:
            continue
        dataset = cfg[name].dataset
        while 'dataset' in dataset:
            assert DATASETS.get(dataset.type) is not None, (name, dataset)
            dataset = dataset.dataset
        datasets[name] = dataset
    return datasets


def _relocate(value, roots: dict):
    """``value`` with every string under a key of ``roots`` (a toy root of
    the configs) moved to its value (the fixture's), longest key first."""
    if isinstance(value, dict):
        return ConfigDict({k: _relocate(v, roots) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return type(value)(_relocate(v, roots) for v in value)
    if isinstance(value, str):
        for old in sorted(roots, key=len, reverse=True):
            if value == old or value.startswith(old + '/'):
                return roots[old] + value[len(old):]
    return value


def _count_lines(path: str) -> int:
    with open(path) as f:
        return sum(1 for line in f if line.strip())


@pytest.fixture(scope='module')
def toy_data_root(toy_pinpp, toy_processed, tmp_path_factory):
    """The toy fixtures in the layout of ``data/toy_pinpp``: the generated
    set with the converted one as its ``processed`` folder."""
    root, _ = toy_pinpp
    processed, _ = toy_processed
    view = tmp_path_factory.mktemp('data') / 'toy_pinpp'
    # Real folders holding links: configs reach `processed/../meta`.
    for folder, target in ((view, root), (view / 'processed', processed)):
        folder.mkdir()
        for name in os.listdir(target):
            os.symlink(osp.join(target, name), folder / name)
    return str(view)


def test_configs_are_found():
    assert {'mpm', 'toy',
            'robustness'} <= {c.split(os.sep)[0]
                              for c in ALL_CONFIGS}
    assert SUITE_CONFIGS and len(MODEL_CONFIGS) > len(SUITE_CONFIGS)


@pytest.mark.parametrize('config', SUITE_CONFIGS)
def test_suite_config_loads(config):
    cfg = _load(config)
    assert cfg.benchmarks, f'{config} defines no benchmarks'


@pytest.mark.parametrize('config', MODEL_CONFIGS)
def test_attack_loops_are_scored_and_select_checkpoints(config):
    """A val / test loop that attacks has ``RobustAccuracy`` among its
    metrics (else it pays for PGD-10 and scores nothing), and an attacked
    val loop keeps the most robust checkpoint: the ``-at`` schedule bases
    set all three, so no config can lose one of them."""
    cfg = _load(config)
    for stage in ('val', 'test'):
        loop = cfg.get(f'{stage}_cfg') or {}
        if not str(loop.get('type', '')).startswith('Adversarial'):
            continue
        evaluator = cfg[f'{stage}_evaluator']
        metrics = evaluator if isinstance(evaluator, list) else [evaluator]
        assert 'RobustAccuracy' in [m['type'] for m in metrics], (
            f'{config}: {stage}_cfg attacks but no RobustAccuracy scores it')
        if stage == 'val':
            checkpoint = cfg.default_hooks.checkpoint
            assert (checkpoint.save_best, checkpoint.rule) == (
                'robust/top1', 'greater'), config


@pytest.mark.parametrize('config', MODEL_CONFIGS)
def test_loops_build_in_the_config_scope(config):
    """A loop builds its dataloader and evaluator in its own scope: one
    inherited from another package's base (``_scope_='mmseg'``) would look
    mmpart's datasets and metrics up where they are not registered."""
    cfg = _load(config)
    for key in ('train_cfg', 'val_cfg', 'test_cfg'):
        loop = cfg.get(key) or {}
        assert loop.get('_scope_', cfg.default_scope) == cfg.default_scope, (
            f'{config}: {key} is built in the {loop["_scope_"]!r} scope, '
            f'not {cfg.default_scope!r}')


def _check_model(config: str, cfg: Config, monkeypatch) -> None:
    """Build the model (no weights loaded) and look up the loops, attack
    protocols, datasets and transforms the config names."""

    def no_download(*args, **kwargs):
        raise AssertionError(f'{config}: building the model loaded weights')

    monkeypatch.setattr(CheckpointLoader, 'load_checkpoint', no_download)
    model_cfg = cfg.model.copy()
    # As mmengine's Runner: the top-level preprocessor is the default.
    if cfg.get('data_preprocessor') is not None:
        model_cfg.setdefault('data_preprocessor', cfg.data_preprocessor)
    model = MODELS.build(model_cfg)
    assert sum(p.numel() for p in model.parameters()) > 0
    for name in ('train_cfg', 'val_cfg', 'test_cfg'):
        loop = cfg.get(name) or {}
        if 'type' in loop:
            assert LOOPS.get(loop['type']) is not None, (name, loop)
        if 'attack' in loop:
            assert resolve_attack_cfg(loop['attack'])['type'], (name, loop)
    for name, dataset in _datasets(cfg).items():
        assert DATASETS.get(dataset.type) is not None, (name, dataset)
        for transform in dataset.get('pipeline', []):
            assert TRANSFORMS.get(transform['type']) is not None, (name,
                                                                   transform)


def _check_bundled_lists(datasets: dict) -> None:
    """ImageNet-scale data: val and test read the bundled val subset."""
    ann_files = [d.ann_file for d in datasets.values()]
    assert not any('../../' in f for f in ann_files), ann_files
    bundled = [f for f in ann_files if f.startswith(BUNDLED_PREFIX)]
    assert len(bundled) >= 2, ann_files
    for ann_file in bundled:
        assert osp.isfile(resolve_bundled(ann_file)), ann_file


def _check_split_lists(datasets: dict) -> None:
    """PIN++-scale segmentation: train, val and test read the converter's
    split lists of those names."""
    layout = PINPPLayout()
    assert {name: d.ann_file for name, d in datasets.items()} == {
        f'{split}_dataloader': layout.split_list(split)
        for split in SPLIT_NAMES
    }


def _check_instance_files(cfg: Config, datasets: dict) -> None:
    """PIN++-scale instance segmentation: train, val and test read the
    converter's instance files of those names in their dataset's format,
    and each evaluator the file of its loader."""
    assert {name: d.ann_file for name, d in datasets.items()} == {
        f'{split}_dataloader': INSTANCE_FILES[
            datasets[f'{split}_dataloader'].type](PINPPLayout(), split)
        for split in SPLIT_NAMES
    }
    for split in ('val', 'test'):
        dataset = datasets[f'{split}_dataloader']
        assert cfg[f'{split}_evaluator'].ann_file == INSTANCE_FILES[
            dataset.type](PINPPLayout(dataset.data_root), split)


def _num_samples(dataset) -> int:
    """The samples a dataset's annotation file lists (for a few-shot
    dataset, the human-annotated images of its side's classes)."""
    if isinstance(dataset, PINPPMetaBaselineDataset):
        with open(dataset.ann_file, 'rb') as f:
            return len(pickle.load(f)['labels'])
    if isinstance(dataset, PINPPDeepEMDDataset):
        return _count_lines(dataset.ann_file) - 1  # the header
    if isinstance(dataset, PINPPFewShotDataset):
        return sum(
            sum(not pseudo for pseudo in read_pseudo_flags(
                PINPPLayout(dataset.data_root).pseudo_list(wnid)).values())
            for wnid in dataset.wnids)
    if dataset.ann_file.endswith('.json'):
        with open(dataset.ann_file) as f:
            return len(json.load(f)['images'])
    return _count_lines(dataset.ann_file)


def _check_class_splits(datasets: dict) -> None:
    """PIN++-scale few-shot data: a bundled class split that resolves, the
    base side for training, val and novel for validation and test."""
    sides = dict(train_dataloader='base', val_dataloader='val',
                 test_dataloader='novel')
    for name, dataset in datasets.items():
        assert dataset.class_split.startswith(BUNDLED_PREFIX), dataset
        assert osp.isfile(resolve_bundled(dataset.class_split))
        assert dataset.side == sides[name], (name, dataset.side)


def _check_official_splits(datasets: dict) -> None:
    """PIN++-scale data in the official few-shot files: the train split
    for training, val and test for validation and test, under
    :data:`OFFICIAL_FEWSHOT_ROOT`."""
    for name, dataset in datasets.items():
        assert dataset.data_root.startswith(OFFICIAL_FEWSHOT_ROOT + '/'), (
            name, dataset.data_root)
        assert dataset.split == OFFICIAL_FEWSHOT_SPLITS[name], (name,
                                                                dataset)


def _check_toy_datasets(datasets: dict, toy_roots: dict) -> None:
    """Toy data: each dataset builds on the toy fixtures, holds every line
    of its list, and its first sample packs the expected fields."""
    for name, dataset_cfg in datasets.items():
        dataset_cfg = _relocate(dataset_cfg, toy_roots)
        # Serialising runs gc.collect(), a second per dataset here.
        dataset = DATASETS.build(dict(dataset_cfg, serialize_data=False))
        assert len(dataset) == _num_samples(dataset), name
        sample = dataset[0]
        assert set(sample) == {'inputs', 'data_samples'}, name
        pack = dataset_cfg.pipeline[-1]['type']
        missing = PACKED_FIELDS[pack] - set(sample['data_samples'].keys())
        assert not missing, (name, missing)


@pytest.mark.parametrize('config', MODEL_CONFIGS)
def test_model_config_builds(config, monkeypatch, request):
    cfg = _load(config)
    assert cfg.default_scope == 'mmpart'
    datasets = _datasets(cfg)
    on_toy = {str(d.data_root).startswith(TOY_ROOT) for d in datasets.values()}
    types = {d.type for d in datasets.values()}
    fewshot = types <= FEWSHOT_DATASETS
    official = types <= OFFICIAL_FEWSHOT_DATASETS
    assert len(on_toy) == 1, f'{config}: all its data on the toy set or none'
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        _check_model(config, cfg, monkeypatch)
        if on_toy == {True}:
            roots = {TOY_ROOT: request.getfixturevalue('toy_data_root')}
            if fewshot:
                roots[TOY_FEWSHOT_ROOT] = request.getfixturevalue(
                    'toy_fewshot_processed')
            if official:
                roots[TOY_FEWSHOT_OFFICIAL_ROOT] = request.getfixturevalue(
                    'toy_fewshot_official')
            _check_toy_datasets(datasets, roots)
        elif fewshot:
            _check_class_splits(datasets)
        elif official:
            _check_official_splits(datasets)
        elif {d.type for d in datasets.values()} <= SPLIT_LIST_DATASETS:
            _check_split_lists(datasets)
        elif {d.type for d in datasets.values()} <= set(INSTANCE_FILES):
            _check_instance_files(cfg, datasets)
        else:
            _check_bundled_lists(datasets)
