# Copyright (c) mmpart contributors. All rights reserved.
from .adv_image_classifier import AdvImageClassifier
from .deepemd_classifier import DeepEMDClassifier
from .episodic_classifier import EpisodicClassifier, check_episode
from .mpm_classifier import MPMClassifier
from .prototype_classifier import PrototypeClassifier
from .two_stage_part_classifier import TwoStagePartClassifier

__all__ = [
    'AdvImageClassifier', 'DeepEMDClassifier', 'EpisodicClassifier',
    'MPMClassifier', 'check_episode',
    'PrototypeClassifier', 'TwoStagePartClassifier'
]
