# Copyright (c) mmpart contributors. All rights reserved.
import json
import os
import os.path as osp
import shutil
import subprocess
import sys

import cv2
import numpy as np
import pytest

from mmpart.datasets import MAP_IGNORE_INDEX, PINPPLayout, read_pseudo_flags
from mmpart.pseudo_label import (PseudoLabelJob, PseudoLabeller,
                                 PseudoLabelSettings)
from mmpart.pseudo_label import job as job_module
from mmpart.pseudo_label import read_records
from ..conftest import PROJECT_ROOT
from .conftest import tree_bytes


def _settings(pseudo_data, toy_segmenter, **kwargs):
    kwargs.setdefault('min_score', 0.3)
    return PseudoLabelSettings(
        config=toy_segmenter['config'],
        checkpoint=toy_segmenter['checkpoint'],
        data_root=pseudo_data['data_root'],
        imagenet_train=pseudo_data['imagenet_train'],
        num_workers=0,
        batch_size=2,
        **kwargs)


def _run(segmenter, settings):
    labeller = PseudoLabeller(segmenter, segmenter.label_space,
                              settings.min_score, settings.class_conditioned)
    return PseudoLabelJob(settings, labeller, segmenter.cfg).run()


def _without_run(report):
    return {k: v for k, v in report.items() if k != 'run'}


def test_job_writes_masks_lists_and_report(segmenter, pseudo_data,
                                           toy_segmenter):
    root = pseudo_data['data_root']
    layout = PINPPLayout(root)
    before = {
        wnid: read_pseudo_flags(layout.pseudo_list(wnid))
        for wnid in pseudo_data['wnids']
    }
    humans = tree_bytes(osp.join(root, 'seg'))
    settings = _settings(pseudo_data, toy_segmenter, object_maps=True)
    report = _run(segmenter, settings)

    space = pseudo_data['label_space']
    for key in pseudo_data['unannotated']:
        wnid, name = key.split('/')
        stem = osp.splitext(name)[0]
        part_map = cv2.imread(layout.seg_map(wnid, stem), cv2.IMREAD_UNCHANGED)
        assert part_map.dtype == np.uint16 and part_map.shape == (96, 96)
        start = space.part_offsets[wnid]
        stop = start + space.part_counts[wnid]
        ids = set(np.unique(part_map)) - {0, MAP_IGNORE_INDEX}
        assert ids and all(start <= i < stop for i in ids)
        obj = cv2.imread(layout.obj_map(wnid, stem), cv2.IMREAD_UNCHANGED)
        expected = np.where(part_map > 0, space.object_label[wnid] + 1, 0)
        expected[part_map == MAP_IGNORE_INDEX] = MAP_IGNORE_INDEX
        np.testing.assert_array_equal(obj, expected)
    # Human masks and their 0 lines are untouched; 1 lines are added,
    # the list sorted and unique.
    after_seg = tree_bytes(osp.join(root, 'seg'))
    assert all(after_seg[k] == v for k, v in humans.items())
    for wnid in pseudo_data['wnids']:
        flags = read_pseudo_flags(layout.pseudo_list(wnid))
        assert {k: v for k, v in flags.items() if k in before[wnid]} == \
            before[wnid]
        added = {k for k, v in flags.items() if v}
        assert added == {k.split('/')[1] for k in pseudo_data['unannotated']
                         if k.startswith(wnid)}
        with open(layout.pseudo_list(wnid)) as f:
            names = [line.split()[0] for line in f]
        assert names == sorted(set(names))

    totals = report['totals']
    assert totals['written'] == len(pseudo_data['unannotated'])
    assert totals['failed'] == 1 and totals['human'] > 0
    bad_class = report['classes'][pseudo_data['bad'].split('/')[0]]
    assert bad_class['failures'][0]['image'] == pseudo_data['bad']
    assert 'unreadable' in bad_class['failures'][0]['reason']
    first = report['classes'][pseudo_data['wnids'][0]]
    assert first['written'] == 2 and 0 < first['mean_confidence'] <= 1
    assert report['run']['images_labelled'] == \
        len(pseudo_data['unannotated']) + 1
    with open(layout.pseudo_label_report) as f:
        assert json.load(f) == json.loads(json.dumps(report))

    # A rerun labels nothing and changes nothing.
    snapshot = tree_bytes(root)
    again = _run(segmenter, settings)
    assert again['run']['images_labelled'] == 1  # the broken image, retried
    assert _without_run(again) == _without_run(report)
    now = tree_bytes(root)
    report_file = osp.relpath(layout.pseudo_label_report, root)
    assert {k: v for k, v in now.items() if k != report_file} == \
        {k: v for k, v in snapshot.items() if k != report_file}


def test_resume_after_crash_is_byte_identical(segmenter, pseudo_data,
                                              toy_segmenter, monkeypatch):
    root = pseudo_data['data_root']
    pristine = osp.join(osp.dirname(root), 'pristine')
    shutil.copytree(root, pristine)
    settings = _settings(pseudo_data, toy_segmenter, flip=True)
    _run(segmenter, settings)
    uninterrupted = tree_bytes(root)

    shutil.rmtree(root)
    shutil.copytree(pristine, root)
    write = job_module.atomic_write_bytes
    calls = []

    def crash_on_third_mask(path, data):
        if path.endswith('.png'):
            calls.append(path)
            if len(calls) == 3:
                # Die mid-write: a temporary file left behind.
                with open(path + '.mmpart-tmp-1', 'wb') as f:
                    f.write(data[:10])
                raise KeyboardInterrupt
        write(path, data)

    monkeypatch.setattr(job_module, 'atomic_write_bytes',
                        crash_on_third_mask)
    with pytest.raises(KeyboardInterrupt):
        _run(segmenter, settings)
    monkeypatch.setattr(job_module, 'atomic_write_bytes', write)
    # The crash left a record without its mask, and a cut record line.
    records = osp.join(root, 'pseudo_label_records', 'rank0.jsonl')
    with open(records, 'a') as f:
        f.write('{"image": "n0')
    report = _run(segmenter, settings)
    assert report['run']['stale_tmp_files_removed'] == 1
    resumed = tree_bytes(root)
    report_file = 'pseudo_label_report.json'
    assert set(resumed) == set(uninterrupted)
    for name in resumed:
        if name != report_file:
            assert resumed[name] == uninterrupted[name], name
    assert _without_run(json.loads(resumed[report_file])) == _without_run(
        json.loads(uninterrupted[report_file]))
    assert len(read_records(osp.join(root, 'pseudo_label_records'))) == \
        len(pseudo_data['unannotated']) + 1


def test_existing_masks_are_never_overwritten(segmenter, pseudo_data,
                                              toy_segmenter):
    layout = PINPPLayout(pseudo_data['data_root'])
    wnid, name = pseudo_data['unannotated'][0].split('/')
    # A mask the labeller did not make (e.g. a human mask a crashed
    # converter did not list yet).
    foreign = layout.seg_map(wnid, osp.splitext(name)[0])
    with open(foreign, 'wb') as f:
        f.write(b'foreign')
    report = _run(segmenter, _settings(pseudo_data, toy_segmenter))
    with open(foreign, 'rb') as f:
        assert f.read() == b'foreign'
    assert report['classes'][wnid]['kept_examples'] == [f'{wnid}/{name}']
    assert name not in read_pseudo_flags(layout.pseudo_list(wnid))
    assert report['totals']['written'] == len(pseudo_data['unannotated']) - 1


def test_job_refuses_other_settings_and_human_overwrites(
        segmenter, pseudo_data, toy_segmenter, tmp_path):
    _run(segmenter, _settings(pseudo_data, toy_segmenter))
    with pytest.raises(ValueError, match=r"\['min_score'\] differ"):
        _run(segmenter,
             _settings(pseudo_data, toy_segmenter, min_score=0.9))
    with pytest.raises(ValueError, match='another root'):
        _run(segmenter,
             _settings(pseudo_data, toy_segmenter, include_annotated=True))
    # Into another root, annotated images are labelled too (for scoring).
    out = str(tmp_path / 'eval')
    report = _run(
        segmenter,
        _settings(pseudo_data, toy_segmenter, include_annotated=True,
                  out_root=out))
    assert report['totals']['written'] == len(pseudo_data['unannotated']) + \
        len(pseudo_data['annotated'])
    key = pseudo_data['annotated'][0]
    assert read_pseudo_flags(PINPPLayout(out).pseudo_list(
        key.split('/')[0]))[key.split('/')[1]]


def test_min_score_one_ignores_everything(segmenter, pseudo_data,
                                          toy_segmenter):
    report = _run(segmenter,
                  _settings(pseudo_data, toy_segmenter, min_score=1.0))
    assert report['totals']['written'] == 0
    assert report['totals']['all_ignored'] == len(pseudo_data['unannotated'])
    first = report['classes'][pseudo_data['wnids'][0]]
    assert first['empty_examples'] == pseudo_data['unannotated'][:2]
    layout = PINPPLayout(pseudo_data['data_root'])
    wnid = pseudo_data['wnids'][0]
    assert not any(read_pseudo_flags(layout.pseudo_list(wnid)).values())


@pytest.mark.slow
def test_one_and_two_processes_are_byte_identical(pseudo_data,
                                                  toy_segmenter, tmp_path):
    roots = {}
    env = dict(os.environ, OMP_NUM_THREADS='1', PYTHON=sys.executable,
               PORT='29533')
    args = [
        '--data-root', pseudo_data['data_root'], '--imagenet-train',
        pseudo_data['imagenet_train'], '--min-score', '0.3', '--flip',
        '--object-maps', '--batch-size', '2', '--num-workers', '0',
        '--device', 'cpu'
    ]
    config, checkpoint = toy_segmenter['config'], toy_segmenter['checkpoint']
    for procs in (1, 2):
        out = str(tmp_path / f'procs{procs}')
        if procs == 1:
            cmd = [sys.executable, 'tools/pseudo_label.py', config,
                   checkpoint]
        else:
            cmd = ['bash', 'tools/dist_test.sh', config, checkpoint, '2']
            env['SCRIPT'] = 'tools/pseudo_label.py'
        subprocess.run(cmd + args + ['--out-root', out], cwd=PROJECT_ROOT,
                       env=env, check=True, timeout=300)
        roots[procs] = tree_bytes(out)
    one, two = roots[1], roots[2]
    assert set(one) == set(two)
    report = 'pseudo_label_report.json'
    for name in one:
        if name != report:
            assert one[name] == two[name], name
    one_report, two_report = (json.loads(r[report]) for r in (one, two))
    assert two_report['run']['world_size'] == 2
    two_report['settings']['out_root'] = one_report['settings']['out_root']
    assert _without_run(one_report) == _without_run(two_report)
    assert one_report['totals']['written'] == len(pseudo_data['unannotated'])
