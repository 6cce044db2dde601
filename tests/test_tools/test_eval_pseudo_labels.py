# Copyright (c) mmpart contributors. All rights reserved.
import sys

import pytest

from ..conftest import load_tool


def test_empty_split_list_is_named(tmp_path, monkeypatch):
    # An empty split list failed deep in the scoring with numpy's "need at
    # least one array to concatenate", naming no file.
    tool = load_tool('tools/analysis_tools/eval_pseudo_labels.py')
    split = tmp_path / 'val.txt'
    split.write_text('\n')
    monkeypatch.setattr(sys, 'argv', [
        'eval_pseudo_labels.py',
        str(tmp_path / 'pred'), '--gt-root',
        str(tmp_path), '--split',
        str(split), '--num-classes', '4'
    ])
    with pytest.raises(ValueError,
                       match=f'{split}: the split list names no image'):
        tool.main()
