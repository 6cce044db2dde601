# Copyright (c) mmpart contributors. All rights reserved.
import numpy as np
import pytest
import torch

from mmpart.apis import object_map_ids
from mmpart.datasets import LabelSpace, instance_categories, layout
from mmpart.structures import MAP_IGNORE_INDEX, check_ids, object_map_id


def test_one_home_for_the_map_conventions():
    # The layout re-exports the ignore value; it does not define its own.
    assert layout.MAP_IGNORE_INDEX is MAP_IGNORE_INDEX == 65535
    space = LabelSpace.from_part_counts({'n2': 1, 'n1': 2})
    # Object maps, the part-to-object table and the instance categories
    # number the objects alike: label + 1, 0 for the background.
    assert [object_map_id(space.object_label[w]) for w in space.wnids] == [
        1, 2]
    assert object_map_ids(space).tolist() == [0, 1, 1, 2]
    objects = [c for c in instance_categories(space) if c['kind'] == 'object']
    assert [(c['wnid'], c['id']) for c in objects] == [('n1', 1), ('n2', 2)]


def test_check_ids_names_the_map_of_a_stack():
    """One call checks a stack of maps and names the first map holding a
    bad id, or the one map it is given."""
    maps = torch.zeros(3, 4, 4, dtype=torch.long)
    maps[0, 0, 0] = MAP_IGNORE_INDEX
    check_ids(maps, 5, MAP_IGNORE_INDEX, ['a', 'b', 'c'])
    maps[2, 1, 1], maps[1, 3, 3] = 7, -1
    with pytest.raises(ValueError, match='^b holds part id -1, neither a '
                       r'class \(below num_classes=5\) nor the ignore index '
                       '65535$'):
        check_ids(maps, 5, MAP_IGNORE_INDEX, ['a', 'b', 'c'])
    with pytest.raises(ValueError, match='^c.png holds part id 7'):
        check_ids(maps[2].numpy().astype(np.uint16), 5, MAP_IGNORE_INDEX,
                  'c.png')
