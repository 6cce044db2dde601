# Copyright (c) mmpart contributors. All rights reserved.
"""Top-level config keys that nothing reads.

mmengine keeps any top-level key of a config, so a misspelt one
(``optim_wraper = dict(...)``) is ignored without a word: training runs at
the default settings. ``tools/train.py`` and ``tools/test.py`` warn about
such keys (``--strict-config`` refuses them) with
:func:`check_config_keys`.

A key is known when mmengine's ``Runner.from_cfg`` reads it (taken from its
source, so a new mmengine release is followed), when mmpart's tools read it
(:data:`TOOL_KEYS`), or when it is one of the variables that OpenMMLab and
mmpart base configs build other keys from at parse time
(:data:`CONFIG_VARIABLES`). A helper variable of one's own is named with a
leading ``_`` (``_dataset = dict(...)``), which marks it private.
"""
import inspect
import logging
import re
from typing import FrozenSet, List

from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.runner import Runner

#: Top-level keys mmpart's tools read besides the runner's: the runner to
#: build (``tools/train.py``, ``tools/test.py``), the imports mmengine's
#: Config runs, and partial checkpoint loading
#: (:mod:`~mmpart.utils.checkpoint_coverage`).
TOOL_KEYS = frozenset({'runner_type', 'custom_imports',
                       'allow_partial_checkpoint'})

#: Variables of the OpenMMLab and mmpart base configs: other keys are built
#: from them when the config is parsed (``train_dataloader = dict(dataset=
#: dict(pipeline=train_pipeline))``, ``model = dict(head=dict(num_classes=
#: num_classes))``), and upstream tools read ``tta_model`` /
#: ``tta_pipeline`` for test-time augmentation. Nothing reads them after
#: parsing, but they are no mistake.
CONFIG_VARIABLES = frozenset({
    # mmpretrain / mmseg / mmdet bases
    'backend_args', 'checkpoint', 'crop_size', 'data_root', 'dataset_type',
    'img_scale', 'max_epochs', 'max_iters', 'norm_cfg', 'num_classes',
    'optimizer', 'test_pipeline', 'train_pipeline', 'tta_model',
    'tta_pipeline', 'val_pipeline', 'vis_backends',
    # mmpart bases
    'categories', 'channels', 'class_split', 'image_pipeline', 'image_scale',
    'image_size', 'num_base_classes', 'num_part_classes', 'num_queries',
    'num_shots', 'num_ways', 'pair_pipeline', 'part_ignore_index'
})


class UnknownConfigKeyError(ValueError):
    """A config has top-level keys that nothing reads."""


def runner_config_keys() -> FrozenSet[str]:
    """The top-level keys mmengine's ``Runner.from_cfg`` reads.

    Returns:
        frozenset[str]: The names in its ``cfg.get('...')`` and
        ``cfg['...']`` calls.
    """
    source = inspect.getsource(Runner.from_cfg)
    return frozenset(re.findall(r"cfg(?:\.get\(|\[)'(\w+)'", source))


def known_config_keys() -> FrozenSet[str]:
    """Every top-level key a runner, a tool or a base config uses."""
    return runner_config_keys() | TOOL_KEYS | CONFIG_VARIABLES


def unknown_config_keys(cfg: Config) -> List[str]:
    """The top-level keys of a config that nothing reads.

    Args:
        cfg (Config): The config.

    Returns:
        list[str]: Sorted keys, ``_``-prefixed helpers left out.
    """
    known = known_config_keys()
    return sorted(k for k in cfg.keys()
                  if k not in known and not k.startswith('_'))


def check_config_keys(cfg: Config, filename: str,
                      strict: bool = False) -> List[str]:
    """Warn about (or refuse) top-level keys that nothing reads.

    Args:
        cfg (Config): The config, command-line options merged.
        filename (str): Its file, for the message.
        strict (bool): Raise instead of warning.

    Returns:
        list[str]: The unknown keys (empty when all are known).

    Raises:
        UnknownConfigKeyError: ``strict`` and some key is unknown.
    """
    unknown = unknown_config_keys(cfg)
    if not unknown:
        return unknown
    message = (
        f'{filename}: top-level key(s) {unknown} are read by no runner, '
        'hook or mmpart tool, so they change nothing. A misspelling (e.g. '
        '`optim_wraper` for `optim_wrapper`)? A helper variable of your own '
        'should start with "_". Known keys: '
        f'{sorted(runner_config_keys() | TOOL_KEYS)}.')
    if strict:
        raise UnknownConfigKeyError(message)
    print_log('UNKNOWN CONFIG KEYS: ' + message + ' (--strict-config '
              'refuses them)', logger='current', level=logging.WARNING)
    return unknown
