# Copyright (c) mmpart contributors. All rights reserved.
from .adv_step_ramp_hook import AdvStepRampHook

__all__ = ['AdvStepRampHook']
