# Copyright (c) mmpart contributors. All rights reserved.
"""Every PIN++-scale config, dry-run at the real shapes
(``tools/analysis_tools/dry_run_configs.py``) on one full-shape set.

The ``fullscale`` tier: one full-shape synthetic PIN++ (all 1000 classes,
ImageNet-sized images) is made and converted once for the module; every
config of ``configs/{mpm,part_seg,object_seg,instance_seg,fewshot}`` takes
a training step, validates and saves (a new config is picked up by the
parametrisation, so it cannot be added without a dry run); one config of
each family also resumes and is tested; the part segmenter pseudo-labels
at 3311 classes and an MPM checkpoint goes through the robustness suite.
"""
import json
import os
import os.path as osp

import cv2
import numpy as np
import pytest

from mmpart.converters import PINPPConverter
from mmpart.datasets import (IMAGENET_A_WNIDS, IMAGENET_R_WNIDS, LabelSpace,
                             imagenet_wnids, read_wnid_list)
from mmpart.datasets.layout import PINPPLayout
from mmpart.datasets.lists import read_pseudo_flags
from mmpart.robustness import RobustnessSuite
from mmpart.toy import make_fullshape_pinpp
from ..conftest import load_tool

dry_run_configs = load_tool('tools/analysis_tools/dry_run_configs.py')
FULL_SCALE_CONFIGS = dry_run_configs.full_scale_configs()
#: One config of each family: resumed, then tested.
FAMILIES = {
    'mpm': 'mpm/mpm_resnet50-gelu_8xb64-100e_in1k-pinpp.py',
    'plain baseline': 'mpm/resnet50-gelu_8xb64-100e_in1k.py',
    'two-stage baseline':
    'mpm/two-stage-part_resnet50-gelu_8xb64-at-80e_in1k-pinpp.py',
    'adversarial training':
    'mpm/mpm_resnet50-gelu_8xb64-stage2-at-80e_in1k-pinpp.py',
    'part segmentation':
    'part_seg/segformer_mit-b2_8xb2-160k_pinpp-parts-512x512.py',
    'object segmentation':
    'object_seg/segformer_mit-b2_8xb2-160k_pinpp-objects-512x512.py',
    'instance segmentation':
    'instance_seg/mask-rcnn_r50_fpn_8xb1-62.5k_pinpp-instances.py',
    'few-shot pre-training':
    'fewshot/resnet12_1xb128-100e_pinpp-fewshot-base-84px.py',
    'meta stage': ('fewshot/meta-baseline_resnet12_1xb100-20e_'
                   'pinpp-fewshot-5way5shot-84px.py'),
}


def test_options_change_only_data_sizes_schedule_and_weights(tmp_path):
    runner = dry_run_configs.ConfigDryRunner(str(tmp_path), str(tmp_path))
    opts = runner.options('mpm/resnet50-gelu_8xb64-100e_in1k.py')
    imagenet = str(tmp_path / 'imagenet')
    assert opts['train_dataloader.dataset.data_root'] == imagenet
    assert opts['val_dataloader.dataset.data_root'] == imagenet
    assert opts['train_dataloader.batch_size'] == 2
    assert opts['train_dataloader.dataset.indices'] == 2
    assert opts['val_dataloader.dataset.indices'] == 1
    assert opts['train_cfg.max_epochs'] == 1
    assert not any(k.startswith(('optim_wrapper', 'param_scheduler',
                                 'model.head', 'model.backbone.depth'))
                   for k in opts)
    # torchvision's weights cannot be downloaded here.
    opts = runner.options(FAMILIES['two-stage baseline'])
    assert opts['model.backbone.init_cfg'] is None
    # A repeat-factor wrapper: its dataset is shrunk, the episodes keep
    # every image of the side.
    opts = runner.options(FAMILIES['instance segmentation'], steps=2)
    assert opts['train_dataloader.dataset.dataset.indices'] == 1
    assert opts['train_cfg.max_iters'] == 2
    assert opts['val_evaluator.ann_file'] == str(
        tmp_path / 'pinpp' / 'annotations' / 'instances_val.json')
    # A config starting from another's checkpoint starts from its dry run
    # (made first; not here).
    runner._start_checkpoint = lambda path: f'dry_run_of_{path}'
    opts = runner.options(FAMILIES['meta stage'])
    assert opts['load_from'] == ('dry_run_of_work_dirs/resnet12_1xb128-100e_'
                                 'pinpp-fewshot-base-84px/epoch_100.pth')
    assert opts['train_dataloader.batch_sampler.num_episodes'] == 1
    assert opts['train_dataloader.batch_sampler.num_queries'] == 1
    assert opts['model.num_queries'] == 1
    assert opts['train_dataloader.batch_size'] == 5 * (5 + 1)
    assert 'val_dataloader.dataset.indices' not in opts
    # DeepEMD's episodes, too, need every image of the val classes.
    opts = runner.options('fewshot/deepemd_resnet12_1xb25-100e_pinpp-'
                          'fewshot-official-5way1shot-84px.py')
    assert opts['train_dataloader.batch_size'] == 5 * (1 + 1)
    assert 'val_dataloader.dataset.indices' not in opts
    assert opts['val_dataloader.dataset.data_root'] == str(
        tmp_path / 'pinpp_fewshot_official' / 'deepemd')


def test_lvis_configs_heads_take_the_files_class_count(tmp_path):
    """The official files have 4308 categories, a converted release may
    have others (the full-shape set: 4310): the RoI heads of a config on
    PINPPLVISDataset take the count of the set's train file, every cascade
    stage included; the other configs keep theirs."""
    annotations = tmp_path / 'pinpp' / 'annotations'
    annotations.mkdir(parents=True)
    (annotations / 'Pin++_train.json').write_text(json.dumps(dict(
        images=[], annotations=[],
        categories=[dict(id=i, name=str(i)) for i in range(1, 8)])))
    runner = dry_run_configs.ConfigDryRunner(str(tmp_path), str(tmp_path))
    opts = runner.options(
        'instance_seg/cascade-mask-rcnn_r50_fpn_8xb1-62.5k_pinpp-lvis-'
        'instances.py')
    assert {k: v for k, v in opts.items() if 'num_classes' in k} == {
        'model.roi_head.bbox_head.0.num_classes': 7,
        'model.roi_head.bbox_head.1.num_classes': 7,
        'model.roi_head.bbox_head.2.num_classes': 7,
        'model.roi_head.mask_head.num_classes': 7,
    }
    assert opts['val_evaluator.ann_file'] == str(
        annotations / 'Pin++_val.json')
    assert not any('num_classes' in k for k in runner.options(
        FAMILIES['instance segmentation']))


def test_checkpoint_paths_name_the_configs_that_make_them():
    runner = dry_run_configs.ConfigDryRunner('data', 'work')
    assert runner.dependency(dry_run_configs.MPM_BACKBONE) == \
        dry_run_configs.MPM_BACKBONE_CONFIG
    assert runner.dependency(
        'work_dirs/mpm_resnet50-gelu_8xb64-stage1-1e_in1k-pinpp/epoch_1.pth'
    ) == 'mpm/mpm_resnet50-gelu_8xb64-stage1-1e_in1k-pinpp.py'
    assert runner.dependency('https://download.pytorch.org/r50.pth') is None


def test_tiny_suite_root_has_every_benchmark_s_data(tmp_path):
    """The suite's dry run skips nothing: one val image each of a class
    outside ImageNet-R and -A, of R's first and of A's first class give
    every benchmark its folder."""
    wnids = imagenet_wnids()
    a_first = read_wnid_list(IMAGENET_A_WNIDS)[0]
    labels = [0, wnids.index(read_wnid_list(IMAGENET_R_WNIDS)[0]),
              wnids.index(a_first)]
    imagenet = tmp_path / 'imagenet'
    os.makedirs(imagenet / 'meta')
    with open(imagenet / 'meta' / 'val.txt', 'w') as f:
        for label in labels:
            path = f'{wnids[label]}/ILSVRC2012_val_{label:08d}.JPEG'
            os.makedirs(imagenet / 'val' / wnids[label])
            cv2.imwrite(str(imagenet / 'val' / path),
                        np.full((40, 56, 3), 90 + label, np.uint8))
            f.write(f'{path} {label}\n')
    root = tmp_path / 'suite_root'
    dry_run_configs.write_tiny_suite_root(str(imagenet), str(root))
    suite = RobustnessSuite.fromfile(
        osp.join(dry_run_configs.CONFIG_DIR, dry_run_configs.SUITE_CONFIG))
    to_run, skipped = suite.select(str(root))
    assert skipped == {} and 'imagenet_a_plus' in to_run
    assert os.listdir(root / 'imagenet-a-plus') == [a_first]
    assert os.listdir(root / 'imagenet-a-plus' / a_first) == [
        f'ILSVRC2012_val_{labels[2]:08d}.JPEG'
    ]


@pytest.fixture(scope='module')
def dry_runner(tmp_path_factory):
    """A dry runner on the full-shape set, made and converted once. With
    ``MMPART_DRY_RUN_TABLE`` set, the runs' cost table is written there at
    the end."""
    root = tmp_path_factory.mktemp('fullshape')
    imagenet, pinpp = str(root / 'imagenet'), str(root / 'pinpp')
    # Two unannotated images to pseudo-label (a 512 px UPerNet pass each),
    # val images of ten classes (the first lines of the bundled lists).
    make_fullshape_pinpp(
        imagenet, unannotated_classes=2, unannotated_per_class=1,
        val_classes=10)
    report = PINPPConverter(
        osp.join(imagenet, 'release'),
        osp.join(imagenet, 'train'),
        pinpp,
        object_masks=True,
        instances=True,
        instance_formats=('coco', 'lvis'),
        link_images=True).run(workers=2)
    assert not report['problems'], report['problems']
    official = load_tool(
        'tools/dataset_converters/pinpp_fewshot_official.py')
    official.main([pinpp, str(root / 'pinpp_fewshot_official')])
    runner = dry_run_configs.ConfigDryRunner(str(root), str(root / 'work'))
    yield runner
    # The cost table of docs/en/dry_run.md, when asked for.
    if os.environ.get('MMPART_DRY_RUN_TABLE'):
        with open(os.environ['MMPART_DRY_RUN_TABLE'], 'w') as f:
            f.write(dry_run_configs.table(runner.history) + '\n')


def test_the_families_are_full_scale_configs():
    assert set(FAMILIES.values()) <= set(FULL_SCALE_CONFIGS)


@pytest.mark.fullscale
@pytest.mark.parametrize('config', FULL_SCALE_CONFIGS)
def test_config_trains_validates_and_saves(dry_runner, config):
    run = dry_runner.train(config)
    dry_run_configs.check_run(run)
    assert dry_run_configs.saved_step(run) == 1
    if config in FAMILIES.values():
        check_resume_and_test(dry_runner, config)
    # Checkpoints stay only while a config still to come is or starts
    # from them (and the MPM one, for the robustness suite).
    todo = FULL_SCALE_CONFIGS[FULL_SCALE_CONFIGS.index(config) + 1:]
    dry_runner.release(
        set(todo).union(*(dry_runner.dependencies(c) for c in todo)) | {
            dry_run_configs.MPM_BACKBONE_CONFIG})


def check_resume_and_test(dry_runner, config: str) -> None:
    """Resumed from its checkpoint, ``config`` goes on at the next step;
    ``tools/test.py`` loads the checkpoint and scores what validation
    scored (a pre-training checkpoint: with its meta stage's config)."""
    trained = dry_runner.train(config)
    resumed = dry_runner.resume(config)
    dry_run_configs.check_run(resumed)
    assert dry_run_configs.saved_step(resumed) == 2
    assert 'resumed epoch: 1' in resumed.log or \
        'resumed epoch: 0, iter: 1' in resumed.log, resumed.log[-3000:]
    tested = dry_runner.test(config)
    assert tested.checkpoint in (trained.best_checkpoint, trained.checkpoint)
    assert f'Load checkpoint from {tested.checkpoint}' in tested.log
    assert tested.metrics and set(trained.metrics) <= set(
        tested.metrics), (trained.metrics, tested.metrics)


@pytest.mark.fullscale
def test_pseudo_labels_at_3311_classes(dry_runner):
    report = dry_runner.pseudo_label()
    totals = report['totals']
    assert totals['images'] > 0 and totals['failed'] == 0, totals
    assert totals['images'] == sum(
        totals[k] for k in ('written', 'empty', 'all_ignored')), totals
    pinpp = osp.join(dry_runner.data_root, 'pinpp')
    space = LabelSpace.from_file(osp.join(pinpp, 'label_space.tsv'))
    assert space.num_part_classes == 3311
    layout = PINPPLayout(pinpp)
    checked = 0
    for wnid in space.wnids:
        flags = read_pseudo_flags(layout.pseudo_list(wnid), missing_ok=True)
        for file_name, pseudo in flags.items():
            if not pseudo:
                continue
            ids = np.unique(cv2.imread(
                layout.seg_map(wnid, osp.splitext(file_name)[0]),
                cv2.IMREAD_UNCHANGED))
            # Class-conditioned: background, the class's own parts, or
            # the ignore value where the segmenter was unsure.
            start, stop = space.part_id_range(wnid)
            assert all(i == 0 or start <= i < stop or i == 65535
                       for i in ids), (wnid, ids)
            checked += 1
    assert checked == totals['written']


@pytest.mark.fullscale
def test_robustness_suite_on_mpm(dry_runner):
    results = dry_runner.robustness()
    ran = set(results['benchmarks'])
    assert {'clean', 'pgd10_linf', 'autoattack_linf', 'imagenet_c',
            'imagenet_r', 'imagenet_a', 'imagenet_a_plus',
            'shape_bias'} <= ran, results
    assert not results['skipped'], results['skipped']
