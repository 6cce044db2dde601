# Copyright (c) mmpart contributors. All rights reserved.
import mmcv
import mmengine
from mmengine.utils import digit_version

from .utils.checkpoint_safety import register_checkpoint_safe_globals
from .version import __version__, version_info

MMCV_MIN, MMCV_MAX = '2.1.0', '2.2.0'
MMENGINE_MIN, MMENGINE_MAX = '0.10.7', '1.0.0'

assert digit_version(MMCV_MIN) <= digit_version(mmcv.__version__) \
    < digit_version(MMCV_MAX), \
    f'mmcv=={mmcv.__version__} is used but incompatible; ' \
    f'install mmcv>={MMCV_MIN}, <{MMCV_MAX}.'
assert digit_version(MMENGINE_MIN) <= digit_version(mmengine.__version__) \
    < digit_version(MMENGINE_MAX), \
    f'mmengine=={mmengine.__version__} is used but incompatible; ' \
    f'install mmengine>={MMENGINE_MIN}, <{MMENGINE_MAX}.'

# Resuming mmengine checkpoints under torch>=2.6 with weights_only kept on.
register_checkpoint_safe_globals()

from . import datasets, engine, evaluation, models  # noqa: E402,F401

__all__ = ['__version__', 'version_info']
