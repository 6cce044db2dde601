# Copyright (c) mmpart contributors. All rights reserved.
from mmpart.apis import object_map_ids
from mmpart.datasets import LabelSpace, instance_categories, layout
from mmpart.structures import MAP_IGNORE_INDEX, object_map_id


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
