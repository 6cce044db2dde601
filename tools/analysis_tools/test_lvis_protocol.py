# Copyright (c) mmpart contributors. All rights reserved.
"""Score a model trained on mmpart's COCO instance files by the paper's
protocol: LVIS's federated AP with obj-AP and part-AP (``PINPPLVISMetric``)
on the converter's LVIS-format file of the same split.

    python tools/analysis_tools/test_lvis_protocol.py CONFIG CHECKPOINT \\
        [--split test] [--work-dir DIR] [--out metrics.json]

CONFIG is an instance config on ``PINPPInstanceDataset`` (its test loader
names the processed root); the root must hold ``annotations/Pin++_<split>
.json`` (convert with ``--instances --instances-format coco lvis``). The
model's labels follow the COCO classes (objects first), the LVIS file
numbers the parts first: the file is renumbered to the model's class order
(``renumber_lvis_categories``, by name; the scores do not depend on the
ids) into the work dir, and the test loop runs on it with the config's
test pipeline, model and checkpoint.
"""
import argparse
import copy
import json
import os
import os.path as osp

from mmengine.config import Config, DictAction
from mmengine.fileio import dump
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

import mmpart  # noqa: F401  (registers mmpart's modules)
from mmpart.converters import renumber_lvis_categories
from mmpart.datasets import PINPPLayout
from mmpart.engine.hooks import add_checkpoint_coverage_hook
from mmpart.registry import DATASETS
from mmpart.utils import register_all_modules


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('config', help='an instance config on the COCO files')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--split', default='test', help='split to score (default: test)')
    parser.add_argument(
        '--work-dir', help='where the renumbered file and the logs go')
    parser.add_argument('--out', help='dump the metrics here (.json)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, key=value pairs')
    return parser.parse_args()


def lvis_protocol_config(cfg: Config, split: str, work_dir: str) -> Config:
    """``cfg`` with its test loader and evaluator on the LVIS-format file of
    ``split``, renumbered to the classes of its test dataset.

    Args:
        cfg (Config): An instance config on ``PINPPInstanceDataset``.
        split (str): ``'train'``, ``'val'`` or ``'test'``.
        work_dir (str): Where the renumbered file is written.

    Returns:
        Config: The changed copy (``work_dir`` set).
    """
    cfg = copy.deepcopy(cfg)
    init_default_scope(cfg.get('default_scope', 'mmpart'))
    dataset_cfg = cfg.test_dataloader.dataset
    # lazy_init: only the classes (from the label space) are needed.
    classes = DATASETS.build(dict(dataset_cfg, lazy_init=True)).metainfo[
        'classes']
    source = PINPPLayout(dataset_cfg.data_root).lvis_instance_file(split)
    with open(source) as f:
        lvis = renumber_lvis_categories(json.load(f), classes)
    os.makedirs(work_dir, exist_ok=True)
    ann_file = osp.join(
        osp.abspath(work_dir),
        osp.basename(source).replace('.json', '.model-classes.json'))
    dump(lvis, ann_file)
    cfg.test_dataloader.dataset = dict(
        type='PINPPLVISDataset',
        data_root=dataset_cfg.data_root,
        ann_file=ann_file,
        data_prefix=dataset_cfg.get('data_prefix'),
        test_mode=True,
        pipeline=dataset_cfg.pipeline)
    cfg.test_evaluator = dict(
        type='PINPPLVISMetric',
        ann_file=ann_file,
        metric=['bbox', 'segm'],
        max_dets=cfg.test_evaluator.get('max_dets', 300))
    cfg.work_dir = work_dir
    return cfg


def main():
    args = parse_args()
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    name = osp.splitext(osp.basename(args.config))[0]
    work_dir = args.work_dir or cfg.get('work_dir') or osp.join(
        './work_dirs', name)
    cfg = lvis_protocol_config(cfg, args.split, work_dir)
    cfg.load_from = args.checkpoint
    add_checkpoint_coverage_hook(cfg)
    metrics = Runner.from_cfg(cfg).test()
    if args.out:
        dump(metrics, args.out)
        print(f'metrics written to {args.out}')


if __name__ == '__main__':
    main()
