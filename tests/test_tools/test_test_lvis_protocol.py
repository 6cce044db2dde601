# Copyright (c) mmpart contributors. All rights reserved.
"""tools/analysis_tools/test_lvis_protocol.py: a COCO-trained config's test
loop moved to the LVIS-format file, renumbered to the model's classes."""
import json

from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmpart.datasets import PINPPLayout
from mmpart.registry import DATASETS
from ..conftest import load_tool, write_toy_instance_config

tool = load_tool('tools/analysis_tools/test_lvis_protocol.py')


def test_test_loop_reads_the_renumbered_lvis_file(toy_processed, tmp_path):
    root, _ = toy_processed
    cfg = Config.fromfile(
        write_toy_instance_config(tmp_path / 'cfg.py', root))
    changed = tool.lvis_protocol_config(cfg, 'val', str(tmp_path / 'work'))
    init_default_scope('mmpart')
    coco = DATASETS.build(cfg.test_dataloader.dataset)
    lvis = DATASETS.build(changed.test_dataloader.dataset)
    assert type(lvis).__name__ == 'PINPPLVISDataset'
    # Its labels are the model's: the COCO dataset's classes, in order.
    assert lvis.metainfo['classes'] == tuple(coco.metainfo['classes'])
    assert changed.test_dataloader.dataset.pipeline == \
        cfg.test_dataloader.dataset.pipeline
    evaluator = changed.test_evaluator
    assert evaluator.type == 'PINPPLVISMetric'
    assert evaluator.ann_file == changed.test_dataloader.dataset.ann_file
    assert evaluator.ann_file.startswith(str(tmp_path / 'work'))
    # The instances are the val split's (the LVIS file of the split).
    source = json.load(
        open(PINPPLayout(root).lvis_instance_file('val')))
    assert len(lvis) == len(source['images'])
    assert changed.work_dir == str(tmp_path / 'work')
    assert cfg.test_evaluator.type == 'PINPPInstanceMetric'
