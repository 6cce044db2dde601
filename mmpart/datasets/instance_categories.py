# Copyright (c) mmpart contributors. All rights reserved.
"""The categories of the PIN++ instance files, from the label space.

The converter writes them (``mmpart.converters.pinpp_instances``) and
``PINPPInstanceDataset`` reads its classes from them, so both take them
from here: the objects (``kind`` 'object', id = object label + 1, as in
the object maps: :func:`~mmpart.structures.object_map_id`), then
every part of the label space in global-id order (``kind`` 'part',
id = number of objects + part id).
"""
from typing import List, Sequence

from mmpart.structures import object_map_id
from .label_space import LabelSpace

#: ``kind`` of object categories.
OBJECT_KIND = 'object'
#: ``kind`` of part categories.
PART_KIND = 'part'
#: The category kinds, in their id order.
CATEGORY_KINDS = (OBJECT_KIND, PART_KIND)


def object_category_id(label_space: LabelSpace, wnid: str) -> int:
    """The category id of a class's object instances."""
    return object_map_id(label_space.object_label[wnid])


def instance_categories(label_space: LabelSpace) -> List[dict]:
    """The categories of the instance files: objects, then parts.

    Args:
        label_space (LabelSpace): The converted set's label space.

    Returns:
        list[dict]: COCO categories with ``wnid``, ``kind`` and ``part_id``.
    """
    num_objects = len(label_space.wnids)
    categories = [
        dict(id=object_map_id(label), name=name, supercategory=OBJECT_KIND,
             wnid=wnid, kind=OBJECT_KIND, part_id=0)
        for label, (wnid, name) in enumerate(
            zip(label_space.wnids, label_space.object_names))
    ]
    names = label_space.part_names
    for row in label_space.rows[1:]:
        categories.append(
            dict(id=num_objects + row['id'], name=names[row['id']],
                 supercategory=row['object'], wnid=row['wnid'],
                 kind=PART_KIND, part_id=row['id']))
    return categories


def instance_class_names(label_space: LabelSpace,
                         categories: Sequence[str]) -> List[str]:
    """The class names of an instance dataset, in category-id order.

    Args:
        label_space (LabelSpace): The label space.
        categories (Sequence[str]): Kinds to include, among ``'object'``
            and ``'part'``.

    Returns:
        list[str]: The names of those kinds' categories.
    """
    unknown = set(categories) - set(CATEGORY_KINDS)
    if unknown or not categories:
        raise ValueError(f'categories must be a non-empty subset of '
                         f'{CATEGORY_KINDS}, got {categories}')
    return [
        c['name'] for c in instance_categories(label_space)
        if c['kind'] in categories
    ]
