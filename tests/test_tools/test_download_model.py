# Copyright (c) mmpart contributors. All rights reserved.
import hashlib
import os
import os.path as osp

import pytest
import torch
import yaml
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint

from mmpart.apis import get_model
from mmpart.registry import MODELS
from mmpart.utils import ModelHub, file_sha256
from ..conftest import PROJECT_ROOT
from .test_publish_model import (TOY_CONFIG, load_tool, publish_model,
                                 train_ema_toy)

download_model = load_tool('tools/misc/download_model.py')

OFFICIAL_URL = 'https://github.com/LixiaoTHU/PartImageNetPP'


def write_index(folder, models):
    """Write a ``model-index.yml`` importing one metafile of ``models``,
    register it (configs relative to the project root) and return the
    names to unregister.

    Args:
        folder (pathlib.Path): Where to write the two files.
        models (list[dict]): The metafile's ``Models``.

    Returns:
        list[str]: The registered names.
    """
    (folder / 'metafile.yml').write_text(yaml.safe_dump(dict(Models=models)))
    (folder / 'model-index.yml').write_text(
        yaml.safe_dump(dict(Import=['metafile.yml'])))
    ModelHub.register_model_index(
        str(folder / 'model-index.yml'), config_prefix=PROJECT_ROOT)
    return [model['Name'] for model in models]


def zoo_entry(name, weights=None, sha256=None, **extra):
    entry = dict(
        Name=name,
        Metadata={'Training Data': ['PIN++ toy']},
        Config=TOY_CONFIG,
        **extra)
    if weights is not None:
        entry.update(Weights=weights, SHA256=sha256)
    return entry


@pytest.fixture
def small_zoo(zoo_server, zoo_cache, tmp_path):
    """A registered index of two models: ``zoo-test-weights`` with a small
    served file, ``zoo-test-no-weights`` with none; unregistered after.

    Yields:
        dict: ``file`` (the weights' file name), ``data`` (its bytes),
        ``index`` (the index folder).
    """
    data = b'not really weights' * 100
    name = f'zoo-test-{hashlib.sha256(data).hexdigest()[:8]}.pth'
    url = zoo_server.publish(name, data)
    (tmp_path / 'index').mkdir()
    names = write_index(tmp_path / 'index', [
        zoo_entry('zoo-test-weights', url,
                  hashlib.sha256(data).hexdigest()),
        zoo_entry('zoo-test-no-weights', **
                  {'Converted From': dict(Weights=OFFICIAL_URL)}),
    ])
    try:
        yield dict(file=name, data=data, index=tmp_path / 'index')
    finally:
        ModelHub.unregister(names)


def test_download_checkpoint_and_config(small_zoo, zoo_server, zoo_cache,
                                        tmp_path, capsys):
    dest = tmp_path / 'dest'
    assert download_model.main(['zoo-test-weights', '--dest', str(dest)]) == 0
    checkpoint = dest / small_zoo['file']
    assert checkpoint.read_bytes() == small_zoo['data']
    # A hard link to the verified file in the cache, not a second copy.
    cached = zoo_cache / 'checkpoints' / small_zoo['file']
    assert os.stat(checkpoint).st_ino == os.stat(cached).st_ino
    config = Config.fromfile(str(dest / 'zoo-test-weights.py'))
    assert config.model == Config.fromfile(osp.join(PROJECT_ROOT,
                                                    TOY_CONFIG)).model
    assert '_base_' not in (dest / 'zoo-test-weights.py').read_text()
    assert sorted(os.listdir(dest)) == sorted(
        [small_zoo['file'], 'zoo-test-weights.py'])
    assert capsys.readouterr().out.startswith(
        f'zoo-test-weights: {checkpoint}, ')
    # Again: served from the cache, the files rewritten in place.
    assert download_model.main(['zoo-test-weights', '--dest', str(dest)]) == 0
    assert zoo_server.gets(small_zoo['file']) == [None]
    assert checkpoint.read_bytes() == small_zoo['data']


def test_download_errors(small_zoo, zoo_server, tmp_path, capsys):
    dest = tmp_path / 'dest'
    # One name without weights stops the whole run before any download.
    assert download_model.main(
        ['zoo-test-weights', 'zoo-test-no-weights', '--dest',
         str(dest)]) == 1
    error = capsys.readouterr().err
    assert 'model "zoo-test-no-weights" has no published weights' in error
    assert f'python tools/train.py {TOY_CONFIG}' in error
    assert f'released at {OFFICIAL_URL}' in error
    assert 'tools/model_converters/official_mpm_to_mmpart.py' in error
    assert not dest.exists() and zoo_server.requests == []

    assert download_model.main(['zoo-test-nope', '--dest', str(dest)]) == 1
    assert 'no model "zoo-test-nope"' in capsys.readouterr().err

    with pytest.raises(SystemExit):
        download_model.main([])
    assert 'give model names, --all or --list' in capsys.readouterr().err


def test_download_checksum_mismatch(zoo_server, zoo_cache, tmp_path, capsys):
    url = zoo_server.publish('tampered.pth', b'tampered')
    names = write_index(tmp_path, [
        zoo_entry('zoo-test-tampered', url,
                  hashlib.sha256(b'original').hexdigest())
    ])
    try:
        assert download_model.main(
            ['zoo-test-tampered', '--dest',
             str(tmp_path / 'dest')]) == 1
    finally:
        ModelHub.unregister(names)
    assert 'SHA-256 mismatch' in capsys.readouterr().err
    assert not (tmp_path / 'dest' / 'tampered.pth').exists()
    assert not (zoo_cache / 'checkpoints' / 'tampered.pth').exists()


def test_list_and_all(small_zoo, zoo_server, tmp_path, monkeypatch, capsys):
    # Only the test index, so --all cannot reach the real zoo's weights;
    # monkeypatch restores mmpart's index afterwards.
    monkeypatch.setattr(ModelHub, '_models', {})
    monkeypatch.setattr(ModelHub, '_default_registered', True)
    ModelHub.register_model_index(
        str(small_zoo['index'] / 'model-index.yml'),
        config_prefix=PROJECT_ROOT)
    assert download_model.main(['--list']) == 0
    assert capsys.readouterr().out.splitlines() == [
        'with weights (1):', '  zoo-test-weights', 'without weights (1):',
        '  zoo-test-no-weights'
    ]
    dest = tmp_path / 'mirror'
    assert download_model.main(['--all', '--dest', str(dest)]) == 0
    assert sorted(os.listdir(dest)) == sorted(
        [small_zoo['file'], 'zoo-test-weights.py'])
    assert zoo_server.gets(small_zoo['file']) == [None]


@pytest.mark.slow
def test_publish_serve_load_download(toy_pinpp, zoo_server, zoo_cache,
                                     tmp_path):
    data_root, _ = toy_pinpp
    (tmp_path / 'work').mkdir()
    checkpoint, _, _ = train_ema_toy(data_root, str(tmp_path / 'work'))
    # Published with --ema: the averaged weights, which are what mmengine
    # loads from the runner checkpoint's state_dict.
    path, sha256 = publish_model.publish_checkpoint(
        checkpoint, str(tmp_path / 'zoo'), 'zoo-test-resnet18', ema=True)
    file_name = osp.basename(path)
    with open(path, 'rb') as f:
        url = zoo_server.publish(file_name, f.read())
    names = write_index(tmp_path, [
        zoo_entry(
            'zoo-test-resnet18',
            url,
            sha256,
            Results=[
                dict(
                    Task='Image Classification',
                    Dataset='PIN++ toy',
                    Metrics={'Top 1 Accuracy': 10.0})
            ])
    ])
    try:
        config = osp.join(PROJECT_ROOT, TOY_CONFIG)
        init_default_scope('mmpart')
        reference = MODELS.build(Config.fromfile(config).model)
        load_checkpoint(reference, checkpoint, map_location='cpu')
        torch.manual_seed(0)
        inputs = torch.randn(2, 3, 96, 96)
        with torch.no_grad():
            expected = reference.eval()(inputs, mode='tensor')
            by_url = get_model(config, pretrained=url)
            by_name = get_model('zoo-test-resnet18', pretrained=True)
            for model in (by_url, by_name):
                assert torch.equal(model(inputs, mode='tensor'), expected)
        assert by_name.dataset_meta == torch.load(
            checkpoint)['meta']['dataset_meta']

        dest = tmp_path / 'dest'
        assert download_model.main(['zoo-test-resnet18', '--dest',
                                    str(dest)]) == 0
    finally:
        ModelHub.unregister(names)
    assert file_sha256(str(dest / file_name)) == sha256
    assert (dest / 'zoo-test-resnet18.py').is_file()
    # Downloaded once; get_model by name and download_model used the cache.
    assert zoo_server.gets(file_name) == [None]
