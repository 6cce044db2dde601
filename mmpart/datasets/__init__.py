# Copyright (c) mmpart contributors. All rights reserved.
from .class_split import (CLASS_SPLIT_SIDES, DEFAULT_CLASS_SPLIT,
                          make_class_split, read_class_split,
                          write_class_split)
from .episodes import (Episode, EpisodicBatchSampler, metabaseline_episodes,
                       sample_episodes)
from .imagenet_list_dataset import ImageNetListDataset
from .instance_categories import (CATEGORY_KINDS, OBJECT_KIND, PART_KIND,
                                  instance_categories, instance_class_names,
                                  object_category_id)
from .label_space import (LABEL_SPACE_HEADER, OFFICIAL_PART_COUNTS, LabelSpace,
                          imagenet_object_names, load_part_counts,
                          part_id_offsets, read_label_space, write_label_space)
from .layout import (ANNOTATIONS_DIR, IMG_DIR, IMG_SUFFIX, LABEL_SPACE_FILE,
                     LVIS_FILE_PREFIX, MAP_IGNORE_INDEX, MAP_SUFFIX, OBJ_DIR,
                     PSEUDO_DIR, PSEUDO_LABEL_RECORDS_DIR,
                     PSEUDO_LABEL_REPORT_FILE, REPORT_FILE, SEG_DIR,
                     SPLIT_NAMES, SPLITS_DIR, PINPPLayout, sample_key,
                     split_sample_key)
from .lists import (BUNDLED_PREFIX, META_DIR, VAL_SUBSET_5K_AUTOATTACK,
                    VAL_SUBSET_10K, ImageListEntry, bundled_files,
                    format_pseudo_flags, merge_pseudo_flags, read_image_list,
                    read_pseudo_flags, read_wnid_list, resolve_bundled,
                    resolve_data_file, update_pseudo_list)
from .pinpp_cls_dataset import PINPPClsDataset
from .pinpp_fewshot_dataset import PINPPFewShotDataset
from .pinpp_instance_dataset import PINPPInstanceDataset
from .pinpp_lvis_dataset import PINPPLVISDataset
from .pinpp_official_fewshot_dataset import (DEEPEMD_SPLITS, METABASELINE_FILE,
                                             METABASELINE_SPLITS,
                                             PINPPDeepEMDDataset,
                                             PINPPMetaBaselineDataset)
from .pinpp_seg_dataset import PINPPObjectSegDataset, PINPPPartSegDataset
from .robustness import *  # noqa: F401,F403
from .transforms import *  # noqa: F401,F403

__all__ = [
    'ImageNetListDataset', 'LABEL_SPACE_HEADER', 'OFFICIAL_PART_COUNTS',
    'LabelSpace', 'imagenet_object_names', 'load_part_counts',
    'part_id_offsets', 'read_label_space', 'write_label_space',
    'ANNOTATIONS_DIR', 'IMG_DIR',
    'IMG_SUFFIX', 'LABEL_SPACE_FILE',
    'MAP_IGNORE_INDEX', 'MAP_SUFFIX', 'OBJ_DIR', 'PSEUDO_DIR',
    'PSEUDO_LABEL_RECORDS_DIR', 'PSEUDO_LABEL_REPORT_FILE', 'REPORT_FILE',
    'SEG_DIR', 'SPLIT_NAMES', 'SPLITS_DIR', 'PINPPLayout', 'sample_key',
    'split_sample_key', 'BUNDLED_PREFIX', 'META_DIR',
    'VAL_SUBSET_5K_AUTOATTACK', 'VAL_SUBSET_10K', 'ImageListEntry',
    'bundled_files', 'format_pseudo_flags', 'merge_pseudo_flags',
    'read_image_list', 'read_pseudo_flags', 'read_wnid_list',
    'resolve_bundled', 'resolve_data_file', 'update_pseudo_list',
    'PINPPClsDataset', 'PINPPObjectSegDataset', 'PINPPPartSegDataset',
    'CATEGORY_KINDS', 'OBJECT_KIND', 'PART_KIND', 'instance_categories',
    'instance_class_names', 'object_category_id', 'PINPPInstanceDataset',
    'PINPPFewShotDataset', 'CLASS_SPLIT_SIDES', 'DEFAULT_CLASS_SPLIT',
    'make_class_split', 'read_class_split', 'write_class_split', 'Episode',
    'EpisodicBatchSampler', 'sample_episodes', 'metabaseline_episodes',
    'LVIS_FILE_PREFIX', 'PINPPMetaBaselineDataset', 'PINPPDeepEMDDataset',
    'METABASELINE_FILE', 'METABASELINE_SPLITS', 'DEEPEMD_SPLITS',
    'PINPPLVISDataset'
]
