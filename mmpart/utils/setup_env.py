# Copyright (c) mmpart contributors. All rights reserved.
import datetime
import warnings

from mmengine import DefaultScope

from .checkpoint_loaders import enable_verified_checkpoint_loaders


def register_all_modules(init_default_scope: bool = True) -> None:
    """Register mmpart's modules (and mmpretrain's, its parent scope) and
    turn mmpart's checkpoint loading on.

    Every mmpart tool and ``mmpart.apis`` model builder calls this to set up
    a run, so it is where mmpart's verified checkpoint loaders and
    weights-only allow-list are switched on
    (:func:`~mmpart.utils.enable_verified_checkpoint_loaders`); ``import
    mmpart`` alone changes nothing in mmengine or torch.

    Args:
        init_default_scope (bool): Whether to make ``mmpart`` the default
            scope, so bare type names resolve in mmpart, then mmpretrain.
            Defaults to True.
    """
    from mmpretrain.utils import register_all_modules as register_mmpretrain

    import mmpart.datasets  # noqa: F401
    import mmpart.engine  # noqa: F401
    import mmpart.evaluation  # noqa: F401
    import mmpart.models  # noqa: F401
    register_mmpretrain(init_default_scope=False)
    enable_verified_checkpoint_loaders()

    if not init_default_scope:
        return
    current = DefaultScope.get_current_instance()
    if current is None:
        DefaultScope.get_instance('mmpart', scope_name='mmpart')
    elif current.scope_name != 'mmpart':
        warnings.warn(f'The current default scope "{current.scope_name}" is '
                      'not "mmpart"; register_all_modules switches it to '
                      '"mmpart".')
        # A new instance name avoids clashing with the existing one.
        DefaultScope.get_instance(
            f'mmpart-{datetime.datetime.now()}', scope_name='mmpart')
