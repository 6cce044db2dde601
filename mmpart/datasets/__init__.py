# Copyright (c) mmpart contributors. All rights reserved.
from .label_space import (OFFICIAL_PART_COUNTS, VAL_SUBSET_10K,
                          VAL_SUBSET_5K_AUTOATTACK, load_part_counts,
                          part_id_offsets)

__all__ = [
    'OFFICIAL_PART_COUNTS', 'VAL_SUBSET_10K', 'VAL_SUBSET_5K_AUTOATTACK',
    'load_part_counts', 'part_id_offsets'
]
