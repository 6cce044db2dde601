# Copyright (c) mmpart contributors. All rights reserved.
from .label_space import (OFFICIAL_PART_COUNTS, VAL_SUBSET_10K,
                          VAL_SUBSET_5K_AUTOATTACK, load_part_counts,
                          part_class_names, part_id_offsets,
                          read_label_space, write_label_space)
from .pinpp_cls_dataset import PINPPClsDataset
from .pinpp_seg_dataset import (PART_IGNORE_INDEX, PINPPObjectSegDataset,
                                PINPPPartSegDataset)
from .robustness import *  # noqa: F401,F403
from .transforms import *  # noqa: F401,F403

__all__ = [
    'OFFICIAL_PART_COUNTS', 'VAL_SUBSET_10K', 'VAL_SUBSET_5K_AUTOATTACK',
    'load_part_counts', 'part_class_names', 'part_id_offsets',
    'read_label_space', 'write_label_space', 'PINPPClsDataset',
    'PART_IGNORE_INDEX', 'PINPPObjectSegDataset', 'PINPPPartSegDataset'
]
