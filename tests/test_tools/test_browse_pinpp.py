# Copyright (c) mmpart contributors. All rights reserved.
import os
import os.path as osp
import subprocess
import sys

import cv2
import pytest

from ..conftest import PROJECT_ROOT


@pytest.mark.slow
def test_browse_writes_panels(toy_processed, tmp_path):
    out, _ = toy_processed
    proc = subprocess.run(
        [sys.executable, 'tools/analysis_tools/browse_pinpp.py', out,
         '--split', 'val', '--num', '4', '--out', str(tmp_path)],
        cwd=PROJECT_ROOT, env=dict(os.environ, PYTHONPATH=PROJECT_ROOT),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:]
    files = sorted(os.listdir(tmp_path))
    assert len(files) == 4 and all(f.endswith('.png') for f in files)
    panel = cv2.imread(osp.join(tmp_path, files[0]))
    # Image and overlay side by side (2 x 96 px, padded to 320), legend under.
    assert panel.shape[1] == 320 and panel.shape[0] > 96 + 18
