# Copyright (c) mmpart contributors. All rights reserved.
import importlib.util
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch
from mmengine.runner import save_checkpoint

from mmpart.apis import init_part_segmentor
from mmpart.converters import PINPPConverter
from mmpart.toy import make_toy_pinpp
from mmpart.utils import register_all_modules
from mmpart.visualization import random_palette
from .http_server import ZooServer

# Like mmpretrain's tests: bare type names resolve in the mmpart scope.
register_all_modules(init_default_scope=True)

PROJECT_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


@pytest.fixture(scope='session')
def toy_pinpp(tmp_path_factory):
    """The default toy PIN++ set (10 classes, 96 px) with the quirks on.

    Returns:
        tuple[str, dict]: Its root folder and the generation summary.
    """
    root = str(tmp_path_factory.mktemp('toy_pinpp'))
    return root, make_toy_pinpp(root, quirks=True)


def write_toy_config(path, base_config: str, data_root: str,
                     extra: str = '') -> str:
    """Write a config that runs ``base_config`` on the toy set at
    ``data_root`` (the configs point at ``data/toy_pinpp`` by default).

    Args:
        path: Where to write the config.
        base_config (str): Config path relative to the project root.
        data_root (str): The toy set's root folder.
        extra (str): More config lines, appended.

    Returns:
        str: The written config's path.
    """
    base = osp.join(PROJECT_ROOT, base_config)
    classes = osp.join(data_root, 'meta', 'classes.txt')
    text = f"""_base_ = {base!r}
_data = dict(data_root={data_root!r}, classes={classes!r})
train_dataloader = dict(dataset=_data)
val_dataloader = dict(dataset=_data)
test_dataloader = dict(dataset=_data)
{extra}
"""
    with open(path, 'w') as f:
        f.write(text)
    return str(path)


def load_tool(path: str):
    """Import a script of ``tools/`` as a module (its ``main`` is not run).

    Args:
        path (str): The script, relative to the project root.

    Returns:
        module: The script's module.
    """
    name = osp.splitext(osp.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name,
                                                  osp.join(PROJECT_ROOT, path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_tool(args: list, timeout: int = 900) -> str:
    """Run a script of the project with this Python, 2 threads, and check
    that it succeeds.

    Args:
        args (list): The script (relative to the project root) and its
            arguments.
        timeout (int): Seconds before it is killed.

    Returns:
        str: Its stdout and stderr.
    """
    env = dict(os.environ, OMP_NUM_THREADS='2')
    proc = subprocess.run([sys.executable] + args, cwd=PROJECT_ROOT, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stdout[-5000:]
    return proc.stdout


#: The toy Mask R-CNN.
TOY_INSTANCE_CONFIG = (
    'configs/toy/mask-rcnn_r18_fpn_1xb8-300i_toy-pinpp-instances-128x128.py')


def write_toy_instance_config(path, data_root: str, extra: str = '') -> str:
    """A config running the toy Mask R-CNN on the converted toy set at
    ``data_root`` (its train loader wraps the dataset for repeat-factor
    sampling, so ``write_toy_config`` does not fit), without workers.

    Args:
        path: Where to write it.
        data_root (str): The converted toy set.
        extra (str): More config lines.

    Returns:
        str: The config's path.
    """
    text = f"""_base_ = {osp.join(PROJECT_ROOT, TOY_INSTANCE_CONFIG)!r}
_root = {data_root!r}
_loader = dict(num_workers=0, persistent_workers=False)
train_dataloader = dict(_loader, dataset=dict(dataset=dict(data_root=_root)))
val_dataloader = dict(_loader, dataset=dict(data_root=_root))
test_dataloader = dict(_loader, dataset=dict(data_root=_root))
val_evaluator = dict(ann_file=_root + '/annotations/instances_val.json')
test_evaluator = dict(ann_file=_root + '/annotations/instances_test.json')
{extra}
"""
    with open(path, 'w') as f:
        f.write(text)
    return str(path)


def make_part_samples(n: int, size: int = 64) -> list:
    """Classification samples with a part map: sample ``i`` has label
    ``i % 3`` and part ``1 + i`` on the square ``[8, 40)``.

    Args:
        n (int): How many samples.
        size (int): Side of the maps.

    Returns:
        list[DataSample]: The samples.
    """
    import torch
    from mmpretrain.structures import DataSample
    samples = []
    for i in range(n):
        sample = DataSample().set_gt_label(i % 3)
        part_map = torch.zeros(size, size, dtype=torch.long)
        part_map[8:40, 8:40] = 1 + i
        sample.set_field(part_map, 'gt_part_map', dtype=torch.Tensor)
        samples.append(sample)
    return samples


@pytest.fixture(scope='session')
def toy_processed(toy_pinpp, tmp_path_factory):
    """The toy set converted with its own part-count table, object masks,
    instance files in both formats (COCO and LVIS) and an ``img`` link.

    Returns:
        tuple[str, dict]: The processed root and the conversion report.
    """
    root, _ = toy_pinpp
    out = str(tmp_path_factory.mktemp('toy_processed'))
    report = PINPPConverter(
        osp.join(root, 'release'),
        osp.join(root, 'train'),
        out,
        part_counts=osp.join(root, 'meta', 'part_counts.tsv'),
        object_masks=True,
        instances=True,
        instance_formats=('coco', 'lvis'),
        link_images=True).run(workers=2)
    return out, report


@pytest.fixture(scope='session')
def toy_fewshot_processed(tmp_path_factory):
    """A small toy few-shot set: 8 classes of 6 annotated 48 px images,
    converted, with ``class_split.json`` splitting them 4 / 2 / 2 into
    base / val / novel (seed 0).

    Returns:
        str: The processed root.
    """
    from mmpart.datasets import (load_part_counts, make_class_split,
                                 write_class_split)
    root = str(tmp_path_factory.mktemp('toy_fewshot'))
    make_toy_pinpp(root, num_classes=8, annotated_per_class=6,
                   unannotated_per_class=0, val_per_class=0, image_size=48)
    counts = osp.join(root, 'meta', 'part_counts.tsv')
    out = osp.join(root, 'processed')
    PINPPConverter(osp.join(root, 'release'), osp.join(root, 'train'), out,
                   part_counts=counts, link_images=True).run()
    write_class_split(
        osp.join(out, 'class_split.json'),
        make_class_split(list(load_part_counts(counts)), (4, 2, 2), seed=0))
    return out


@pytest.fixture(scope='session')
def toy_fewshot_official(toy_fewshot_processed, tmp_path_factory):
    """The toy few-shot set's class split in the official few-shot files
    (``tools/dataset_converters/pinpp_fewshot_official.py``), every 3rd
    base image in ``train_phase_val``.

    Returns:
        str: The folder of ``metabaseline/`` and ``deepemd/``.
    """
    from mmpart.converters.official_fewshot import (write_deepemd_split,
                                                    write_metabaseline_pickles)
    out = str(tmp_path_factory.mktemp('toy_fewshot_official'))
    split = osp.join(toy_fewshot_processed, 'class_split.json')
    write_metabaseline_pickles(
        toy_fewshot_processed, split, osp.join(out, 'metabaseline'),
        size=40, phase_val_every=3)
    write_deepemd_split(toy_fewshot_processed, split,
                        osp.join(out, 'deepemd'))
    return out


@pytest.fixture(scope='session')
def toy_classifier(toy_pinpp, tmp_path_factory):
    """The plain toy classifier trained 6 epochs (shared by the robustness
    tests).

    Returns:
        tuple[str, str, str]: The toy root, the config and the checkpoint.
    """
    from mmengine.config import Config
    from mmengine.runner import Runner
    data_root, _ = toy_pinpp
    work_dir = tmp_path_factory.mktemp('toy_classifier')
    config = write_toy_config(
        work_dir / 'cfg.py',
        'configs/toy/resnet18-w32_1xb32-12e_toy-pinpp.py', data_root,
        'train_cfg = dict(max_epochs=6)\n'
        'train_dataloader.update(num_workers=0)\n'
        'val_dataloader.update(num_workers=0)\n'
        'test_dataloader.update(num_workers=0)\n'
        'default_hooks = dict(logger=dict(interval=50))\n')
    cfg = Config.fromfile(config)
    cfg.work_dir = str(work_dir)
    Runner.from_cfg(cfg).train()
    return data_root, config, osp.join(str(work_dir), 'epoch_6.pth')


#: A stock mmseg segmenter (EncoderDecoder) and a PartEncoderDecoder.
FCN_CONFIG = 'configs/toy/fcn_r18-d8_1xb16-200i_toy-pinpp-parts-96x96.py'
UPERNET_CONFIG = 'configs/toy/upernet_r18_1xb16-300i_toy-pinpp-parts-96x96.py'


@pytest.fixture(scope='session')
def toy_segmenter(toy_processed, tmp_path_factory):
    """The toy UPerNet (a PartEncoderDecoder) with random weights, saved
    with class names of its own.

    Returns:
        dict: ``config``, ``fcn_config`` (the stock FCN), ``checkpoint``,
        ``model`` (the one saved), ``classes`` (the saved names), ``root``.
    """
    root, _ = toy_processed
    work = tmp_path_factory.mktemp('part_seg_api')
    config = write_toy_config(work / 'upernet.py', UPERNET_CONFIG, root)
    fcn_config = write_toy_config(work / 'fcn.py', FCN_CONFIG, root)
    torch.manual_seed(0)
    model = init_part_segmentor(config)
    # Random BN statistics, so random weights predict many parts.
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.running_mean.uniform_(-0.5, 0.5)
            module.running_var.uniform_(0.5, 2)
    classes = [name.upper() for name in model.dataset_meta['classes']]
    checkpoint = str(work / 'model.pth')
    save_checkpoint(
        dict(
            state_dict=model.state_dict(),
            meta=dict(
                dataset_meta=dict(
                    classes=classes, palette=random_palette(len(classes))))),
        checkpoint)
    return dict(config=config, fcn_config=fcn_config, checkpoint=checkpoint,
                model=model, classes=classes, root=root)


@pytest.fixture
def zoo_server(tmp_path):
    """A file server on 127.0.0.1 for download tests, stopped afterwards.

    Yields:
        ZooServer: Serving ``tmp_path/served``; see
        :class:`tests.http_server.ZooServer`.
    """
    with ZooServer(str(tmp_path / 'served')) as server:
        yield server


@pytest.fixture
def zoo_cache(tmp_path, monkeypatch):
    """An empty ``MMPART_HOME`` for one test, no mirror and not offline.

    Yields:
        pathlib.Path: The cache root.
    """
    home = tmp_path / 'mmpart_home'
    monkeypatch.setenv('MMPART_HOME', str(home))
    for name in ('MMPART_OFFLINE', 'MMPART_MODEL_ZOO_MIRROR',
                 'MMPART_ALLOW_UNVERIFIED'):
        monkeypatch.delenv(name, raising=False)
    yield home
