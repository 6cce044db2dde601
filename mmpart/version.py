# Copyright (c) mmpart contributors. All rights reserved.
__version__ = '0.1.0'


def parse_version_info(version_str: str) -> tuple:
    """Parse a version string such as ``'0.1.0'`` or ``'0.1.0rc1'``.

    Args:
        version_str (str): The version string.

    Returns:
        tuple: The dot-separated fields, numeric ones as ``int``, e.g.
        ``(0, 1, 0)`` or ``(0, 1, '0rc1')``.
    """
    return tuple(int(p) if p.isdigit() else p for p in version_str.split('.'))


version_info = parse_version_info(__version__)
