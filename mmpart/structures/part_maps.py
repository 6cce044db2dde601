# Copyright (c) mmpart contributors. All rights reserved.
"""The value conventions of the 16-bit part and object maps, defined once.

A part map holds global part ids (0 the background, then the label
space's parts); an object map holds the image's object id on its parts
(0 elsewhere). Both mark ignored pixels with :data:`MAP_IGNORE_INDEX`.
The converter and the pseudo labeller write them, the datasets, losses
and metrics read them: all take the values from here.
"""

#: Ignore value of the 16-bit maps: part ids reach 3310, past mmseg's 255,
#: so the maps are 16-bit and the ignore value is their largest one.
MAP_IGNORE_INDEX = 65535


def object_map_id(object_label: int) -> int:
    """The id of an object in object maps and instance categories.

    The object label (the class's index in the label space) plus one,
    since 0 is the background.

    Args:
        object_label (int): The object label.

    Returns:
        int: Its id.

    Examples:
        >>> object_map_id(0)
        1
    """
    return object_label + 1
