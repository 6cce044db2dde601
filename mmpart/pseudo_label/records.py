# Copyright (c) mmpart contributors. All rights reserved.
"""The pseudo labeller's records: one JSON line per image labelled.

Each process appends to its own ``<records dir>/rank<r>.jsonl``. A record
is appended **before** its mask is written, so after a crash an image is
either recorded (and redone if its mask is missing) or not touched at
all: a mask that exists without a record is never the labeller's, and is
never overwritten (it may be a human mask a crashed converter did not list
yet). A rerun reads every file in the folder, whatever the number of
processes that wrote them; the last record of an image wins (a redone
image's records are equal).
"""
import glob
import json
import os
import os.path as osp
from dataclasses import asdict, dataclass
from typing import Dict, Optional

#: Suffix of the record files.
RECORD_SUFFIX = '.jsonl'


@dataclass
class PseudoLabelRecord:
    """What happened to one image.

    Args:
        image (str): ``<wnid>/<file>``, as in ImageNet's lists.
        status (str): ``written``, ``empty``, ``all_ignored`` (see
            :mod:`~mmpart.pseudo_label.labeller`) or ``failed``.
        confidence (float, optional): Mean confidence of its mask.
        ignored_fraction (float, optional): Share of ignored pixels.
        reason (str, optional): Why it failed.
    """
    image: str
    status: str
    confidence: Optional[float] = None
    ignored_fraction: Optional[float] = None
    reason: Optional[str] = None


def read_records(folder: str) -> Dict[str, PseudoLabelRecord]:
    """Every image's last record in a records folder.

    A last line cut short by a crash is skipped (it is rewritten when the
    image is redone).

    Args:
        folder (str): The records folder (may not exist).

    Returns:
        dict[str, PseudoLabelRecord]: Records by image.
    """
    records = {}
    for path in sorted(glob.glob(osp.join(folder, '*' + RECORD_SUFFIX))):
        with open(path) as f:
            for line in f:
                try:
                    record = PseudoLabelRecord(**json.loads(line))
                except (ValueError, TypeError):
                    continue  # an unfinished line
                records[record.image] = record
    return records


class RecordWriter:
    """Appends records to one process's file, a line at a time, flushed.

    Args:
        folder (str): The records folder.
        name (str): The file name without suffix (e.g. ``rank0``).
    """

    def __init__(self, folder: str, name: str):
        os.makedirs(folder, exist_ok=True)
        self.path = osp.join(folder, name + RECORD_SUFFIX)
        self._drop_unfinished_line()
        self._file = open(self.path, 'a')

    def _drop_unfinished_line(self) -> None:
        """Cut a last line a crash left without its newline, so the next
        record starts on a line of its own."""
        if not osp.exists(self.path):
            return
        with open(self.path, 'rb+') as f:
            data = f.read()
            if data and not data.endswith(b'\n'):
                f.truncate(data.rfind(b'\n') + 1)

    def append(self, record: PseudoLabelRecord) -> None:
        """Append and flush one record."""
        self._file.write(json.dumps(asdict(record)) + '\n')
        self._file.flush()

    def close(self) -> None:
        """Close the file."""
        self._file.close()
