# Copyright (c) mmpart contributors. All rights reserved.
import os
import os.path as osp

#: Marker in the names of temporary files, so leftovers can be found.
TMP_MARKER = '.mmpart-tmp-'


def temporary_path(path: str) -> str:
    """The name under which ``path`` is written before its atomic rename.

    In the same folder (so the rename stays on one file system), marked
    with :data:`TMP_MARKER` and this process's id.

    Args:
        path (str): The final path.

    Returns:
        str: The temporary path.
    """
    return f'{path}{TMP_MARKER}{os.getpid()}'


def atomic_write_bytes(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers never see a partial file.

    The bytes go to a temporary file in the same folder, which is then
    renamed over ``path`` (atomic on POSIX file systems).

    Args:
        path (str): Destination.
        data (bytes): Content.
    """
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    tmp = temporary_path(path)
    with open(tmp, 'wb') as f:
        f.write(data)
    os.replace(tmp, path)


def remove_stale_tmp_files(root: str) -> int:
    """Delete temporary files an interrupted run left under ``root``.

    Args:
        root (str): Folder to clean, recursively.

    Returns:
        int: How many files were removed.
    """
    removed = 0
    for dirpath, _, files in os.walk(root):
        for name in files:
            if TMP_MARKER in name:
                os.remove(osp.join(dirpath, name))
                removed += 1
    return removed
