# Copyright (c) mmpart contributors. All rights reserved.
import hashlib
import io
import os
import os.path as osp
import socket
import subprocess
import sys
import textwrap

import pytest
import torch
from mmengine.runner.checkpoint import CheckpointLoader

from mmpart.apis import get_model
from mmpart.utils import (CheckpointDownloadError, ChecksumMismatchError,
                          ModelHub, checkpoint_cache_dir, download_checkpoint)
from mmpart.utils.checkpoint_download import expected_sha256
from ..conftest import PROJECT_ROOT


def checkpoint_bytes(seed: int = 0) -> bytes:
    """A small mmengine-style checkpoint, serialised."""
    generator = torch.Generator().manual_seed(seed)
    state = dict(
        state_dict={
            'conv.weight': torch.randn(8, 3, 3, 3, generator=generator),
            'fc.bias': torch.randn(10, generator=generator)
        },
        meta=dict(epoch=3))
    buffer = io.BytesIO()
    torch.save(state, buffer)
    return buffer.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def suffixed(stem: str, data: bytes) -> str:
    """``stem-<sha256[:8]>.pth``, the OpenMMLab naming."""
    return f'{stem}-{sha256(data)[:8]}.pth'


def cache_files(cache_root) -> list:
    """Every file in the checkpoint cache except the lock files."""
    folder = checkpoint_cache_dir()
    if not osp.isdir(folder):
        return []
    return sorted(name for name in os.listdir(folder) if name != '.locks')


def test_verified_download_loads_through_mmengine(zoo_server, zoo_cache):
    data = checkpoint_bytes()
    name = suffixed('tiny', data)
    url = zoo_server.publish(name, data)
    loaded = CheckpointLoader.load_checkpoint(url, map_location='cpu')
    expected = torch.load(io.BytesIO(data))
    assert loaded['meta'] == expected['meta']
    for key, value in expected['state_dict'].items():
        torch.testing.assert_close(loaded['state_dict'][key], value)
    assert cache_files(zoo_cache) == [name]
    assert str(zoo_cache) in checkpoint_cache_dir()
    # A second load is served from the verified cache: no new request.
    CheckpointLoader.load_checkpoint(url, map_location='cpu')
    assert zoo_server.gets(name) == [None]


def test_cut_connection_resumes_with_range(zoo_server, zoo_cache):
    data = checkpoint_bytes()
    name = suffixed('cut', data)
    url = zoo_server.publish(name, data)
    zoo_server.cut_after(name, 1000)
    path = download_checkpoint(url, sha256=sha256(data), backoff=0)
    assert zoo_server.gets(name) == [None, 'bytes=1000-']
    with open(path, 'rb') as f:
        assert f.read() == data
    assert cache_files(zoo_cache) == [name]


def test_partial_download_survives_and_is_continued(zoo_server, zoo_cache):
    data = checkpoint_bytes()
    name = suffixed('partial', data)
    url = zoo_server.publish(name, data)
    zoo_server.cut_after(name, 700)
    with pytest.raises(CheckpointDownloadError, match='after 1 attempts'):
        download_checkpoint(url, retries=0)
    # Only the partial file: the target appears only complete and verified.
    assert cache_files(zoo_cache) == [name + '.partial']
    assert osp.getsize(osp.join(checkpoint_cache_dir(),
                                name + '.partial')) == 700
    path = download_checkpoint(url, retries=0)
    assert zoo_server.gets(name) == [None, 'bytes=700-']
    assert open(path, 'rb').read() == data
    assert cache_files(zoo_cache) == [name]


def test_server_without_range_restarts_from_zero(zoo_server, zoo_cache):
    data = checkpoint_bytes()
    name = suffixed('norange', data)
    url = zoo_server.publish(name, data)
    zoo_server.supports_range = False
    zoo_server.cut_after(name, 500)
    path = download_checkpoint(url, backoff=0)
    assert zoo_server.gets(name) == [None, 'bytes=500-']
    assert open(path, 'rb').read() == data


@pytest.mark.parametrize('how', ['given', 'file_name'])
def test_wrong_hash_is_refused_and_removed(zoo_server, zoo_cache, how):
    data, other = checkpoint_bytes(0), checkpoint_bytes(1)
    if how == 'given':
        name, sha = 'given.pth', sha256(other)
        source = 'the caller'
    else:
        name, sha = suffixed('named', other), None
        source = 'hash suffix'
    url = zoo_server.publish(name, data)
    with pytest.raises(ChecksumMismatchError) as error:
        download_checkpoint(url, sha256=sha)
    message = str(error.value)
    assert sha256(other)[:8] in message and sha256(data) in message
    assert source in message
    assert error.value.actual == sha256(data)
    assert cache_files(zoo_cache) == []


def test_corrupt_cached_file_is_refused(zoo_server, zoo_cache):
    data = checkpoint_bytes()
    name = suffixed('cached', data)
    url = zoo_server.publish(name, data)
    os.makedirs(checkpoint_cache_dir())
    with open(osp.join(checkpoint_cache_dir(), name), 'wb') as f:
        f.write(data[:-10])
    with pytest.raises(ChecksumMismatchError):
        download_checkpoint(url, offline=True)
    assert cache_files(zoo_cache) == []


def test_http_404_is_a_clear_error_without_retries(zoo_server, zoo_cache):
    url = zoo_server.url('missing-0123abcd.pth')
    with pytest.raises(CheckpointDownloadError, match='HTTP 404 Not Found'):
        download_checkpoint(url, backoff=0)
    assert zoo_server.gets('missing-0123abcd.pth') == [None]
    assert cache_files(zoo_cache) == []


def test_refused_connection_is_a_clear_error(zoo_cache):
    with socket.socket() as probe:  # a port that nobody listens on
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
    url = f'http://127.0.0.1:{port}/x-0123abcd.pth'
    with pytest.raises(CheckpointDownloadError) as error:
        download_checkpoint(url, retries=1, backoff=0, timeout=5)
    message = str(error.value)
    assert 'after 2 attempts' in message and 'refused' in message
    assert 'MMPART_OFFLINE' in message
    assert cache_files(zoo_cache) == []


@pytest.mark.parametrize('url', [
    'http://host/a/..', 'http://host/a/.', 'https://host/..?x=1',
    'http://host/a/', 'http://host'
])
def test_url_naming_no_file_is_refused(zoo_cache, url):
    # `a/..` once named the cache's parent folder as the "verified file",
    # returned without a request.
    with pytest.raises(CheckpointDownloadError, match='names no file'):
        download_checkpoint(url, allow_unverified=True, offline=True)
    assert cache_files(zoo_cache) == []


def test_offline_uses_only_the_cache(zoo_server, zoo_cache, monkeypatch):
    data = checkpoint_bytes()
    name = suffixed('offline', data)
    url = zoo_server.publish(name, data)
    monkeypatch.setenv('MMPART_OFFLINE', '1')
    with pytest.raises(CheckpointDownloadError, match='MMPART_OFFLINE'):
        download_checkpoint(url)
    assert zoo_server.gets(name) == []
    monkeypatch.delenv('MMPART_OFFLINE')
    path = download_checkpoint(url)
    monkeypatch.setenv('MMPART_OFFLINE', '1')
    assert download_checkpoint(url) == path
    assert zoo_server.gets(name) == [None]


def test_unverifiable_url_needs_an_opt_in(zoo_server, zoo_cache,
                                          monkeypatch):
    data = checkpoint_bytes()
    url = zoo_server.publish('plain.pth', data)
    with pytest.raises(CheckpointDownloadError, match='allow_unverified'):
        download_checkpoint(url)
    assert zoo_server.gets('plain.pth') == []
    monkeypatch.setenv('MMPART_ALLOW_UNVERIFIED', '1')
    with pytest.warns(UserWarning, match='UNVERIFIED'):
        path = download_checkpoint(url)
    assert open(path, 'rb').read() == data


def test_mirror_serves_by_file_name(zoo_server, zoo_cache, monkeypatch):
    data = checkpoint_bytes()
    name = suffixed('mirrored', data)
    zoo_server.publish(name, data)
    monkeypatch.setenv('MMPART_MODEL_ZOO_MIRROR', zoo_server.base_url + '/')
    url = f'https://download.example.invalid/zoo/v1/{name}'
    path = download_checkpoint(url)
    assert zoo_server.gets(name) == [None]
    assert osp.basename(path) == name
    # A missing file on the mirror says so.
    with pytest.raises(CheckpointDownloadError, match='mirror'):
        download_checkpoint('https://x.invalid/a/gone-0123abcd.pth')


def test_model_index_hash_is_used(zoo_server, zoo_cache, tmp_path):
    data, other = checkpoint_bytes(0), checkpoint_bytes(1)
    name = 'indexed.pth'  # no hash in the name: only the index knows it
    url = zoo_server.publish(name, other)
    index = tmp_path / 'metafile.yml'
    index.write_text(
        textwrap.dedent(f"""\
        Models:
          - Name: indexed-model
            Weights: https://zoo.example.invalid/{name}
            SHA256: {sha256(data)}
            Config: configs/toy/resnet18-w32_1xb32-12e_toy-pinpp.py
        """))
    ModelHub.register_model_index(str(index), config_prefix=PROJECT_ROOT)
    try:
        assert expected_sha256(url).digest == sha256(data)
        with pytest.raises(ChecksumMismatchError, match='model index'):
            download_checkpoint(url)
        zoo_server.publish(name, data)
        assert open(download_checkpoint(url), 'rb').read() == data
    finally:
        ModelHub.unregister(['indexed-model'])
    assert expected_sha256(url) is None


def test_torchvision_scheme_names_a_verifiable_url(monkeypatch):
    seen = []
    monkeypatch.setattr(
        'mmpart.utils.checkpoint_download.load_from_http',
        lambda url, map_location=None: seen.append(url) or {})
    CheckpointLoader.load_checkpoint('torchvision://resnet50.imagenet1k_v2')
    assert seen == [
        'https://download.pytorch.org/models/resnet50-11ad3fa6.pth'
    ]
    assert expected_sha256(seen[0]).digest == '11ad3fa6'


DIST_SCRIPT = """
import os, sys, torch, torch.distributed as dist
from mmengine.runner.checkpoint import CheckpointLoader
from mmpart.utils import enable_verified_checkpoint_loaders
enable_verified_checkpoint_loaders()
dist.init_process_group('gloo')
checkpoint = CheckpointLoader.load_checkpoint(sys.argv[1], map_location='cpu')
total = float(sum(v.sum() for v in checkpoint['state_dict'].values()))
with open(os.path.join(sys.argv[2], f'rank{dist.get_rank()}.txt'), 'w') as f:
    f.write(repr(total))
dist.destroy_process_group()
"""


@pytest.mark.slow
def test_two_processes_download_once(zoo_server, zoo_cache, tmp_path):
    data = checkpoint_bytes()
    name = suffixed('shared', data)
    url = zoo_server.publish(name, data)
    script = tmp_path / 'load.py'
    script.write_text(DIST_SCRIPT)
    env = dict(os.environ, OMP_NUM_THREADS='1')
    subprocess.run([
        sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node',
        '2', '--master_port', '29541',
        str(script), url, str(tmp_path)
    ], cwd=PROJECT_ROOT, env=env, check=True, timeout=120)
    state = torch.load(io.BytesIO(data))['state_dict']
    total = float(sum(v.sum() for v in state.values()))
    for rank in (0, 1):
        assert float((tmp_path / f'rank{rank}.txt').read_text()) == \
            pytest.approx(total)
    assert zoo_server.gets(name) == [None]
    assert cache_files(zoo_cache) == [name]


def test_pretrained_init_cfg_downloads_verified(zoo_server, zoo_cache):
    torch.manual_seed(0)
    source = get_model('configs/toy/resnet18-w32_1xb32-12e_toy-pinpp.py')
    buffer = io.BytesIO()
    torch.save(dict(state_dict=source.state_dict()), buffer)
    data = buffer.getvalue()
    url = zoo_server.publish(suffixed('toy', data), data)
    torch.manual_seed(1)
    model = get_model(
        'configs/toy/resnet18-w32_1xb32-12e_toy-pinpp.py',
        backbone=dict(
            init_cfg=dict(
                type='Pretrained', checkpoint=url, prefix='backbone.')))
    model.init_weights()
    for key, value in source.backbone.state_dict().items():
        torch.testing.assert_close(model.backbone.state_dict()[key], value)
    assert cache_files(zoo_cache) == [suffixed('toy', data)]
