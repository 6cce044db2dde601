# Copyright (c) mmpart contributors. All rights reserved.
"""What a robustness suite is (``configs/robustness/*_suite.py``): its
settings and benchmarks, validated when loaded, and which benchmarks can run
under a data root.

A suite config holds ``benchmarks`` (name -> benchmark keys, see
:class:`Benchmark`) and the settings of :data:`SUITE_VARIABLES`; names that
start with ``_`` are helpers of the config file itself (e.g. a shared
benchmark base) and are ignored. Any other top-level key, and any unknown
benchmark key, is an error naming it: a misspelt key would otherwise be
silently dropped and the benchmark run differently.
"""
import os.path as osp
from dataclasses import (MISSING, dataclass, field, fields, is_dataclass,
                         replace)
from typing import Dict, List, Optional, Sequence, Tuple, Union

from mmengine.config import Config

from mmpart.models.attacks import resolve_attack_cfg

#: Suite settings that strings may name as ``{key}``, besides
#: ``{data_root}`` (the data root argument).
SUITE_VARIABLES = ('classes', 'clean_list', 'attack_list')


def _check_keys(cfg: dict, allowed: Sequence[str], required: Sequence[str],
                where: str) -> None:
    """Fail on keys outside ``allowed`` and on missing ``required`` ones."""
    unknown = [key for key in cfg if key not in allowed]
    if unknown:
        raise ValueError(f'{where}: unknown key(s) {unknown}; the allowed '
                         f'keys are {list(allowed)}')
    missing = [key for key in required if key not in cfg]
    if missing:
        raise ValueError(f'{where}: missing key(s) {missing}')


def _check_type(value, types, what: str, where: str) -> None:
    if not isinstance(value, types):
        raise ValueError(f'{where}: {what} must be {types}, got {value!r}')


def _keys_of(cls) -> Tuple[Tuple[str, ...], Tuple[str, ...]]:
    """The config keys of a dataclass (its fields but ``name`` and
    ``source``, which the suite sets) and the required ones."""
    keys = [f for f in fields(cls) if f.name not in ('name', 'source')]
    required = [
        f.name for f in keys
        if f.default is MISSING and f.default_factory is MISSING
    ]
    return tuple(f.name for f in keys), tuple(required)


@dataclass
class OnTheFlyVariant:
    """How to make a benchmark's data when its own files are absent (used
    with ``corrupt_on_the_fly``), e.g. corrupting the clean images.

    Args:
        requires (str): The path under the data root it needs.
        dataset (dict): The dataset config used instead.
        transform (dict, optional): A transform inserted before the test
            pipeline's packing step.
    """
    requires: str
    dataset: dict
    transform: Optional[dict] = None

    @classmethod
    def from_cfg(cls, cfg: dict, where: str) -> 'OnTheFlyVariant':
        """Validate a config and build the variant.

        Args:
            cfg (dict): The ``on_the_fly`` dict of a benchmark.
            where (str): The benchmark, for errors.

        Returns:
            OnTheFlyVariant: The variant.
        """
        _check_type(cfg, dict, 'on_the_fly', where)
        _check_keys(cfg, *_keys_of(cls), f'{where}, on_the_fly')
        variant = cls(**cfg)
        _check_type(variant.requires, str, 'on_the_fly.requires', where)
        _check_type(variant.dataset, dict, 'on_the_fly.dataset', where)
        _check_type(variant.transform, (dict, type(None)),
                    'on_the_fly.transform', where)
        return variant


@dataclass
class Benchmark:
    """One benchmark of a suite: a test dataset, metrics and a test loop.

    Every benchmark uses the model config's test pipeline (and dataloader
    settings), with ``transform`` inserted before the packing step and
    ``meta_keys`` added to it. A benchmark whose protocol prescribes its own
    preprocessing (ImageNet-A-Plus: a square resize) gives ``pipeline``,
    which replaces the steps before the packing step.

    Args:
        name (str): The benchmark's name in the suite.
        requires (str): The path under the data root it needs; without it
            the benchmark is skipped and the reason recorded.
        dataset (dict): The test dataset config (no pipeline).
        evaluator (dict | list[dict]): The metrics.
        headline (list[str]): The metric keys (as the evaluators write
            them) of the markdown table and the chart.
        loop (dict): The test loop, e.g. ``dict(type='AdversarialTestLoop',
            attack='pgd10_linf')``. Defaults to ``dict(type='TestLoop')``.
        meta_keys (Sequence[str]): Metainfo keys the metrics need, added to
            the packing step. Defaults to none.
        pipeline (list[dict], optional): The transforms (image loading
            included) that replace the test pipeline's steps before its
            packing step. Defaults to the model config's.
        transform (dict, optional): A transform inserted before the packing
            step.
        on_the_fly (OnTheFlyVariant, optional): What to run when
            ``requires`` is absent and on-the-fly data is asked for.
        source (str): ``'files'`` or ``'on the fly'`` (set by
            :meth:`RobustnessSuite.select`, not a config key).
    """
    name: str
    requires: str
    dataset: dict
    evaluator: Union[dict, List[dict]]
    headline: List[str]
    loop: dict = field(default_factory=lambda: dict(type='TestLoop'))
    meta_keys: Sequence[str] = ()
    pipeline: Optional[List[dict]] = None
    transform: Optional[dict] = None
    on_the_fly: Optional[OnTheFlyVariant] = None
    source: str = 'files'

    @classmethod
    def from_cfg(cls, name: str, cfg: dict, where: str) -> 'Benchmark':
        """Validate a benchmark config and build the benchmark.

        Args:
            name (str): The benchmark's name.
            cfg (dict): Its keys.
            where (str): The suite file, for errors.

        Returns:
            Benchmark: The benchmark.
        """
        where = f'{where}: benchmark {name!r}'
        _check_type(cfg, dict, 'a benchmark', where)
        _check_keys(cfg, *_keys_of(cls), where)
        cfg = dict(cfg)
        if cfg.get('on_the_fly') is not None:
            cfg['on_the_fly'] = OnTheFlyVariant.from_cfg(
                cfg['on_the_fly'], where)
        bench = cls(name=name, **cfg)
        _check_type(bench.requires, str, 'requires', where)
        _check_type(bench.dataset, dict, 'dataset', where)
        _check_type(bench.evaluator, (dict, list, tuple), 'evaluator', where)
        _check_type(bench.loop, dict, 'loop', where)
        _check_type(bench.transform, (dict, type(None)), 'transform', where)
        if bench.pipeline is not None:
            _check_type(bench.pipeline, (list, tuple), 'pipeline', where)
            for step in bench.pipeline:
                _check_type(step, dict, 'each step of pipeline', where)
        for what in ('headline', 'meta_keys'):
            value = getattr(bench, what)
            _check_type(value, (list, tuple), what, where)
            for key in value:
                _check_type(key, str, f'each of {what}', where)
        if 'attack' in bench.loop:
            # An unknown protocol fails now, not after the benchmarks
            # before this one have run.
            try:
                resolve_attack_cfg(bench.loop['attack'])
            except KeyError as error:
                raise ValueError(f'{where}: {error.args[0]}') from None
        return bench


def fill_placeholders(value, variables: dict):
    """Fill ``{key}`` placeholders in every string of ``value``.

    A string that is exactly one placeholder takes the variable's value
    (even None); containers and benchmarks are rebuilt, so ``value`` is left
    as it is.

    Args:
        value: A string, a container, a dataclass or any other value.
        variables (dict): The values of the placeholders.

    Returns:
        ``value`` with the placeholders filled.
    """
    if isinstance(value, str):
        for key, var in variables.items():
            if value == f'{{{key}}}':
                return var
            if var is not None:
                value = value.replace(f'{{{key}}}', str(var))
        return value
    if is_dataclass(value):
        return replace(
            value, **{
                f.name: fill_placeholders(getattr(value, f.name), variables)
                for f in fields(value)
            })
    if isinstance(value, dict):
        return type(value)(
            {k: fill_placeholders(v, variables)
             for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return type(value)(fill_placeholders(v, variables) for v in value)
    return value


@dataclass
class RobustnessSuite:
    """A validated suite config.

    Args:
        benchmarks (dict[str, Benchmark]): The benchmarks, in order.
        classes (str, optional): The classifier's wnids in output order (a
            file or ``'mmpart::<file name>'``); None: the 1000 ImageNet-1K
            ones.
        clean_list (str, optional): The clean images' list.
        attack_list (str, optional): The attacked images' list.
        filename (str, optional): The suite file.

    Examples:
        >>> suite = RobustnessSuite.fromfile(
        ...     'configs/robustness/imagenet_suite.py')
        >>> to_run, skipped = suite.select('data/robustness')
    """
    benchmarks: Dict[str, Benchmark]
    classes: Optional[str] = None
    clean_list: Optional[str] = None
    attack_list: Optional[str] = None
    filename: Optional[str] = None

    @classmethod
    def from_config(cls, cfg: Config) -> 'RobustnessSuite':
        """Validate a suite config.

        Args:
            cfg (Config): The suite config.

        Returns:
            RobustnessSuite: The suite.
        """
        where = cfg.filename or 'suite config'
        settings = {k: v for k, v in cfg.items() if not k.startswith('_')}
        _check_keys(settings, ('benchmarks', ) + SUITE_VARIABLES,
                    ('benchmarks', ), where)
        _check_type(settings['benchmarks'], dict, 'benchmarks', where)
        benchmarks = {
            name: Benchmark.from_cfg(name, bench, where)
            for name, bench in settings.pop('benchmarks').items()
        }
        return cls(benchmarks=benchmarks, filename=cfg.filename, **settings)

    @classmethod
    def fromfile(cls,
                 filename: str,
                 options: Optional[dict] = None) -> 'RobustnessSuite':
        """Load and validate a suite file.

        Args:
            filename (str): The suite config file.
            options (dict, optional): Overrides merged before validation
                (``--suite-options``), e.g.
                ``{'benchmarks.autoattack_l2.dataset.indices': 500}``.

        Returns:
            RobustnessSuite: The suite.
        """
        cfg = Config.fromfile(filename)
        if options:
            cfg.merge_from_dict(options)
        return cls.from_config(cfg)

    def variables(self, data_root: str) -> dict:
        """The placeholder values: ``data_root`` and the settings (their own
        placeholders filled)."""
        variables = dict(data_root=data_root)
        for key in SUITE_VARIABLES:
            variables[key] = fill_placeholders(getattr(self, key), variables)
        return variables

    def select(self,
               data_root: str,
               corrupt_on_the_fly: bool = False,
               only: Optional[Sequence[str]] = None
               ) -> Tuple[Dict[str, Benchmark], Dict[str, str]]:
        """Split the benchmarks into what can run under ``data_root`` and
        what not.

        Args:
            data_root (str): The data root.
            corrupt_on_the_fly (bool): Use a benchmark's ``on_the_fly``
                variant when its own data is absent. Defaults to False.
            only (Sequence[str], optional): Benchmark names to consider.

        Returns:
            tuple[dict, dict]: ``{name: Benchmark}`` to run (placeholders
            filled) and ``{name: reason}`` skipped.
        """
        unknown = [name for name in only or () if name not in self.benchmarks]
        if unknown:
            raise KeyError(f'unknown benchmarks {unknown}; the suite has '
                           f'{list(self.benchmarks)}')
        # Absolute, as mmengine datasets join relative paths to their root.
        data_root = osp.abspath(data_root)
        variables = self.variables(data_root)
        to_run, skipped = {}, {}
        for name, bench in self.benchmarks.items():
            if only and name not in only:
                continue
            bench = fill_placeholders(bench, variables)
            if not osp.exists(osp.join(data_root, bench.requires)):
                variant = bench.on_the_fly
                if (corrupt_on_the_fly and variant is not None and osp.exists(
                        osp.join(data_root, variant.requires))):
                    bench = replace(
                        bench,
                        dataset=variant.dataset,
                        transform=variant.transform,
                        source='on the fly')
                else:
                    skipped[name] = (f'{bench.requires} not found in '
                                     f'{data_root}')
                    continue
            to_run[name] = bench
        return to_run, skipped
