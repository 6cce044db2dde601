# Copyright (c) mmpart contributors. All rights reserved.
"""mmpart's registries.

Every registry is a child of mmpretrain's registry of the same kind, so bare
names resolve in mmpart first, then mmpretrain, then mmengine. mmseg modules
are reached with the ``mmseg.`` prefix or ``_scope_='mmseg'`` (the root
registry finds any scope by depth-first search), and mmseg-scoped configs reach
mmpart modules with the ``mmpart.`` prefix the same way.
"""
from mmengine.registry import Registry
from mmpretrain import registry as mmpretrain_registry


def _child(name: str, location: str) -> Registry:
    """Make a registry for mmpart under mmpretrain's one called ``name``.

    It is also listed among the root registry's children: mmengine resolves
    a ``scope.`` prefix from another package's registry only through the
    root's direct children, so without this an ``mmpart.`` type inside an
    mmseg-scoped config (e.g. a segmentor inheriting an ``mmseg::`` base)
    would not be found.

    mmengine has no public call that adds a child to a registry other than
    the parent given at construction; this relies on ``Registry.children``
    (a public property) being the live dict that mmengine's own private
    ``_add_child`` writes to. Checked with mmengine 0.10.7 (the range
    ``import mmpart`` accepts is >=0.10.7, <1.0.0);
    ``tests/test_registry.py::test_root_lists_mmpart_registries`` fails if
    that changes.

    Args:
        name (str): The registry's name in ``mmpretrain.registry``.
        location (str): The mmpart package that registers into it.

    Returns:
        Registry: The mmpart registry.
    """
    parent = getattr(mmpretrain_registry, name)
    registry = Registry(
        parent.name, parent=parent, scope='mmpart', locations=[location])
    registry.root.children.setdefault(registry.scope, registry)
    return registry


RUNNERS = _child('RUNNERS', 'mmpart.engine')
RUNNER_CONSTRUCTORS = _child('RUNNER_CONSTRUCTORS', 'mmpart.engine')
LOOPS = _child('LOOPS', 'mmpart.engine')
HOOKS = _child('HOOKS', 'mmpart.engine')
LOG_PROCESSORS = _child('LOG_PROCESSORS', 'mmpart.engine')
OPTIMIZERS = _child('OPTIMIZERS', 'mmpart.engine')
OPTIM_WRAPPERS = _child('OPTIM_WRAPPERS', 'mmpart.engine')
OPTIM_WRAPPER_CONSTRUCTORS = _child('OPTIM_WRAPPER_CONSTRUCTORS',
                                    'mmpart.engine')
PARAM_SCHEDULERS = _child('PARAM_SCHEDULERS', 'mmpart.engine')

DATASETS = _child('DATASETS', 'mmpart.datasets')
DATA_SAMPLERS = _child('DATA_SAMPLERS', 'mmpart.datasets')
TRANSFORMS = _child('TRANSFORMS', 'mmpart.datasets')

MODELS = _child('MODELS', 'mmpart.models')
MODEL_WRAPPERS = _child('MODEL_WRAPPERS', 'mmpart.models')
WEIGHT_INITIALIZERS = _child('WEIGHT_INITIALIZERS', 'mmpart.models')
BATCH_AUGMENTS = _child('BATCH_AUGMENTS', 'mmpart.models')
TASK_UTILS = _child('TASK_UTILS', 'mmpart.models')

METRICS = _child('METRICS', 'mmpart.evaluation')
EVALUATORS = _child('EVALUATORS', 'mmpart.evaluation')
