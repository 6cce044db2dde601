# Copyright (c) mmpart contributors. All rights reserved.
import mmcv
import mmengine
from mmengine.utils import digit_version

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

# Importing mmpart registers its modules in its own registries and changes
# nothing in mmengine or torch: what sets up a run turns mmpart's checkpoint
# loading on (mmpart.utils.enable_verified_checkpoint_loaders).
from . import datasets, engine, evaluation, models  # noqa: E402,F401

__all__ = ['__version__', 'version_info']
