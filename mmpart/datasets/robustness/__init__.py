# Copyright (c) mmpart contributors. All rights reserved.
from .cue_conflict_dataset import (SHAPE_BIAS_16_CLASSES, CueConflictDataset,
                                   load_coarse_categories)
from .imagenet_c_dataset import (IMAGENET_C_CORRUPTIONS, IMAGENET_C_SEVERITIES,
                                 ImageNetCDataset)
from .wnid_folder_dataset import (IMAGENET_A_WNIDS, IMAGENET_R_WNIDS,
                                  NoImagesError, WnidFolderDataset,
                                  imagenet_wnids)

__all__ = [
    'SHAPE_BIAS_16_CLASSES', 'CueConflictDataset', 'load_coarse_categories',
    'IMAGENET_C_CORRUPTIONS', 'IMAGENET_C_SEVERITIES', 'ImageNetCDataset',
    'IMAGENET_A_WNIDS', 'IMAGENET_R_WNIDS', 'NoImagesError',
    'WnidFolderDataset', 'imagenet_wnids'
]
