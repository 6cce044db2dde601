# Copyright (c) mmpart contributors. All rights reserved.
from .adv_step_ramp_hook import AdvStepRampHook
from .checkpoint_coverage_hook import (CheckpointCoverageHook,
                                       add_checkpoint_coverage_hook)

__all__ = [
    'AdvStepRampHook', 'CheckpointCoverageHook', 'add_checkpoint_coverage_hook'
]
