# Copyright (c) mmpart contributors. All rights reserved.
from .checkpoint_safety import (UnsafeCheckpointError, history_buffer_getattr,
                                load_from_local, mmengine_checkpoint_globals,
                                register_checkpoint_safe_globals)
from .dist import init_distributed, setup_cpu_distributed, teardown_distributed
from .setup_env import register_all_modules

__all__ = [
    'UnsafeCheckpointError', 'history_buffer_getattr', 'load_from_local',
    'mmengine_checkpoint_globals', 'register_checkpoint_safe_globals',
    'init_distributed', 'register_all_modules', 'setup_cpu_distributed',
    'teardown_distributed'
]
