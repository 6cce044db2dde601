# Copyright (c) mmpart contributors. All rights reserved.
"""Offline conversion: PIN++ release readers, rasterising, the PIN++
converter (planning a class file, converting an image, the run) and the
ImageNet-C writer. Not imported by ``import mmpart``."""
from .imagenet_c_writer import write_imagenet_c
from .pinpp_class_plan import (ClassFile, ClassFilePlanner, ClassParts,
                               ClassPlan, ProblemLog)
from .pinpp_converter import (DEFAULT_SPLIT_RATIOS, INSTANCE_FORMATS,
                              PINPPConverter)
from .pinpp_image import ImageResult, ImageTask, convert_image
from .pinpp_instances import (LVISNumbering, instance_categories,
                              instance_file, lvis_categories, lvis_frequency,
                              lvis_instance_file, object_category_id,
                              renumber_lvis_categories)
from .pinpp_release import (PINPPFormatError, inclusion_depths, read_discarded,
                            read_inclusions, read_object_names)
from .rasterize import (annotation_mask, clip_polygon, encode_png,
                        paint_part_map, rasterize_annotations)

__all__ = [
    'write_imagenet_c', 'DEFAULT_SPLIT_RATIOS', 'ClassFile',
    'ClassFilePlanner', 'ClassParts', 'ClassPlan', 'ProblemLog',
    'ImageResult', 'ImageTask', 'PINPPConverter',
    'PINPPFormatError', 'convert_image', 'inclusion_depths',
    'read_discarded', 'read_inclusions', 'read_object_names',
    'annotation_mask', 'clip_polygon', 'encode_png', 'paint_part_map',
    'rasterize_annotations', 'instance_categories', 'instance_file',
    'object_category_id', 'INSTANCE_FORMATS', 'LVISNumbering',
    'lvis_categories', 'lvis_frequency', 'lvis_instance_file',
    'renumber_lvis_categories'
]
