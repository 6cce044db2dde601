# Copyright (c) mmpart contributors. All rights reserved.
from .checkpoint_coverage import (PartialCheckpointError,
                                  check_checkpoint_coverage)
from .checkpoint_download import (CheckpointDownloadError,
                                  ChecksumMismatchError, checkpoint_cache_dir,
                                  download_checkpoint, file_sha256)
from .checkpoint_loaders import enable_verified_checkpoint_loaders
from .checkpoint_safety import (UnsafeCheckpointError, history_buffer_getattr,
                                load_from_local, mmengine_checkpoint_globals,
                                register_checkpoint_safe_globals)
from .checkpoint_weights import (CheckpointWeightsError, checkpoint_weights,
                                 has_ema_weights)
from .device_fallback import fit_config_to_device
from .dist import init_distributed, setup_cpu_distributed, teardown_distributed
from .model_index import ModelHub, default_model_index
from .setup_env import register_all_modules

__all__ = [
    'CheckpointDownloadError', 'CheckpointWeightsError',
    'ChecksumMismatchError', 'ModelHub', 'checkpoint_weights',
    'has_ema_weights', 'PartialCheckpointError', 'check_checkpoint_coverage',
    'UnsafeCheckpointError', 'checkpoint_cache_dir', 'default_model_index',
    'download_checkpoint', 'enable_verified_checkpoint_loaders',
    'file_sha256', 'fit_config_to_device',
    'history_buffer_getattr',
    'load_from_local', 'mmengine_checkpoint_globals',
    'register_checkpoint_safe_globals', 'init_distributed',
    'register_all_modules', 'setup_cpu_distributed', 'teardown_distributed'
]
