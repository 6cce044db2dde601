# Copyright (c) mmpart contributors. All rights reserved.
"""Verified, resumable checkpoint downloads, and the URL schemes that use
them.

mmengine loads ``http(s)://`` checkpoints through ``torch.hub`` without a
hash check, and a connection cut part way leaves a truncated file in the
cache that later fails in an unrelated place. Here every checkpoint URL
goes through :func:`download_checkpoint`:

- it is checked against a SHA-256: the one given, else the model index's
  for that file, else the hex prefix that OpenMMLab and torchvision put at
  the end of file names (``resnet50-11ad3fa6.pth``); a URL with none is
  refused unless the caller opts in;
- a partial download is kept beside the target and continued with an HTTP
  Range request; the target appears only complete and verified (atomic
  rename); connection errors are retried with exponential backoff;
- the cache is ``$MMPART_HOME/checkpoints`` (``MMPART_HOME`` defaults to
  ``<torch hub dir>/mmpart``); ``MMPART_OFFLINE=1`` serves only from it;
  ``MMPART_MODEL_ZOO_MIRROR`` replaces the host with a mirror that keeps
  the files flat by name;
- in a distributed run one process per node downloads and the others wait
  for the verified file; a file lock keeps processes sharing a cache from
  writing the same file.

The loaders for ``http://``, ``https://``, ``torchvision://`` and
``open-mmlab://`` below replace mmengine's once
:func:`~mmpart.utils.enable_verified_checkpoint_loaders` is called (mmpart's
tools and ``apis`` do), so ``load_from``, ``resume``, ``init_cfg=dict(
type='Pretrained', checkpoint=URL)`` and ``get_model`` all download this
way, and load with the weights-only unpickler. Importing this module
registers nothing.
"""
import hashlib
import http.client
import os
import os.path as osp
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from contextlib import contextmanager
from typing import Any, Iterator, NamedTuple, Optional

import torch
import torch.distributed as torch_dist
from filelock import FileLock
from mmengine.runner.checkpoint import (_get_mmengine_home,
                                        get_deprecated_model_names,
                                        get_external_models,
                                        get_torchvision_models)
from tqdm import tqdm

from ..version import __version__
from .checkpoint_safety import load_from_local
from .model_index import ModelHub

ENV_HOME = 'MMPART_HOME'
ENV_OFFLINE = 'MMPART_OFFLINE'
ENV_MIRROR = 'MMPART_MODEL_ZOO_MIRROR'
ENV_ALLOW_UNVERIFIED = 'MMPART_ALLOW_UNVERIFIED'

#: ``name-<hex>.ext``: OpenMMLab and torchvision end file names with the
#: first hex digits (8 or more) of the file's SHA-256.
HASH_SUFFIX = re.compile(r'-([0-9a-f]{8,64})\.[A-Za-z0-9]+$')
#: HTTP statuses worth another try (the server may recover).
RETRY_STATUSES = (408, 429, 500, 502, 503, 504)
#: Bytes per read: 128 KiB, as torch.hub (larger reads gained nothing here).
CHUNK_BYTES = 1 << 17


class CheckpointDownloadError(RuntimeError):
    """A checkpoint could not be downloaded, found or verified."""


class ChecksumMismatchError(CheckpointDownloadError):
    """A downloaded or cached file does not have the expected SHA-256.

    Args:
        url (str): The checkpoint URL.
        expected (ExpectedHash): What it should hash to.
        actual (str): The file's SHA-256.
    """

    def __init__(self, url: str, expected: 'ExpectedHash', actual: str):
        self.expected = expected.digest
        self.actual = actual
        super().__init__(
            f'{url}: SHA-256 mismatch, expected {expected.digest} (from '
            f'{expected.source}), got {actual}. The file was removed; '
            'nothing was kept in the cache.')


class ExpectedHash(NamedTuple):
    """A SHA-256 to check a file against.

    Attributes:
        digest (str): Lower-case hex; a prefix when it comes from a file
            name.
        source (str): Where it comes from, for messages.
    """
    digest: str
    source: str

    def matches(self, actual: str) -> bool:
        """Whether a full hex digest agrees with this one."""
        return actual.startswith(self.digest)


def _env_flag(name: str) -> bool:
    return os.environ.get(name, '').lower() in ('1', 'true', 'yes', 'on')


def checkpoint_cache_dir(cache_dir: Optional[str] = None) -> str:
    """Where downloaded checkpoints are kept.

    Args:
        cache_dir (str, optional): Use this folder as it is.

    Returns:
        str: ``cache_dir``, else ``$MMPART_HOME/checkpoints`` with
        ``MMPART_HOME`` defaulting to ``<torch.hub.get_dir()>/mmpart``.
    """
    if cache_dir is not None:
        return osp.expanduser(cache_dir)
    home = os.environ.get(ENV_HOME) or osp.join(torch.hub.get_dir(),
                                                'mmpart')
    return osp.join(osp.expanduser(home), 'checkpoints')


def _hash_file(path: str) -> 'hashlib._Hash':
    """A SHA-256 object fed with a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(CHUNK_BYTES), b''):
            digest.update(chunk)
    return digest


def file_sha256(path: str) -> str:
    """The SHA-256 of a file.

    Args:
        path (str): The file.

    Returns:
        str: Lower-case hex digest.
    """
    return _hash_file(path).hexdigest()


def url_file_name(url: str) -> str:
    """The last path component of a URL (query and fragment dropped).

    It names the file in the cache, so it must be a file name: ``.`` and
    ``..`` would name the cache folder or its parent.

    Args:
        url (str): The URL.

    Returns:
        str: The file name.

    Raises:
        CheckpointDownloadError: The URL's path ends in ``/``, ``.`` or
            ``..``, or it has none.
    """
    name = osp.basename(urllib.parse.urlsplit(url).path)
    if name in ('', '.', '..'):
        raise CheckpointDownloadError(
            f'{url}: the URL names no file (its path must end in a file '
            'name, not "/", "." or "..")')
    return name


def expected_sha256(url: str,
                    sha256: Optional[str] = None) -> Optional[ExpectedHash]:
    """The SHA-256 a checkpoint URL must have, if one is known.

    Args:
        url (str): The checkpoint URL.
        sha256 (str, optional): A full hex digest given by the caller.

    Returns:
        ExpectedHash | None: From the caller, else the model index, else
        the file name's hex suffix; None if none of them gives one.
    """
    if sha256:
        digest = sha256.lower()
        if not re.fullmatch(r'[0-9a-f]{64}', digest):
            raise ValueError(f'sha256 must be 64 hex digits, got {sha256!r}')
        return ExpectedHash(digest, 'the caller')
    # By file name too, so a mirror of the zoo (files kept under their
    # names) is verified against the same hash.
    name = url_file_name(url)
    for weights, digest in ModelHub.weights_hashes().items():
        if url == weights or name == url_file_name(weights):
            return ExpectedHash(digest, "mmpart's model index")
    match = HASH_SUFFIX.search(name)
    if match is not None:
        return ExpectedHash(match.group(1), 'the file name\'s hash suffix')
    return None


def mirrored_url(url: str) -> str:
    """``url``, or its file on the ``MMPART_MODEL_ZOO_MIRROR`` mirror.

    A mirror keeps the zoo's files flat by file name, so
    ``https://host/a/b/x-1234abcd.pth`` becomes
    ``$MMPART_MODEL_ZOO_MIRROR/x-1234abcd.pth``. The expected hash stays the
    original URL's.
    """
    mirror = os.environ.get(ENV_MIRROR)
    if not mirror:
        return url
    return f'{mirror.rstrip("/")}/{url_file_name(url)}'


def _local_rank() -> int:
    """This process's rank on its node (torchrun and Slurm set it)."""
    if 'LOCAL_RANK' in os.environ:
        return int(os.environ['LOCAL_RANK'])
    return torch_dist.get_rank() if torch_dist.is_initialized() else 0


@contextmanager
def _node_leader_first() -> Iterator[bool]:
    """Let local rank 0 run the body before the other processes.

    Yields:
        bool: Whether this process may download (local rank 0, or not a
        distributed run). The others enter after a barrier that the leader
        reaches when its body ends, even if it raised.
    """
    distributed = torch_dist.is_available() and torch_dist.is_initialized() \
        and torch_dist.get_world_size() > 1
    leader = _local_rank() == 0
    if distributed and not leader:
        torch_dist.barrier()
    try:
        yield leader or not distributed
    finally:
        if distributed and leader:
            torch_dist.barrier()


def _verify(path: str,
            url: str,
            expected: Optional[ExpectedHash],
            actual: Optional[str] = None) -> None:
    """Check ``path`` (whose hash is ``actual``, if already known) against
    ``expected``; remove it on a mismatch."""
    if expected is None:
        return
    actual = actual or file_sha256(path)
    if not expected.matches(actual):
        os.remove(path)
        raise ChecksumMismatchError(url, expected, actual)


def _fetch_once(url: str, partial: str, timeout: float,
                progress: bool) -> str:
    """Download ``url`` into ``partial``, continuing what it holds.

    Returns:
        str: The complete file's SHA-256, hashed while it streams in (so
        verifying costs no second pass over a fresh download).

    Raises:
        ConnectionError: The body ended before its announced length.
    """
    have = osp.getsize(partial) if osp.exists(partial) else 0
    headers = {'User-Agent': f'mmpart/{__version__}'}
    if have:
        headers['Range'] = f'bytes={have}-'
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        if response.status == 206:
            content_range = response.headers.get('Content-Range', '')
            if not content_range.startswith(f'bytes {have}-'):
                raise ConnectionError(
                    f'asked for bytes {have}- and got {content_range!r}')
            digest = _hash_file(partial)
        else:
            have = 0  # the server sent the whole file
            digest = hashlib.sha256()
        length = response.headers.get('Content-Length')
        total = have + int(length) if length is not None else None
        with open(partial, 'ab' if have else 'wb') as f, tqdm(
                total=total, initial=have, unit='B', unit_scale=True,
                desc=url_file_name(url), disable=not progress) as bar:
            for chunk in iter(lambda: response.read(CHUNK_BYTES), b''):
                f.write(chunk)
                digest.update(chunk)
                bar.update(len(chunk))
    size = osp.getsize(partial)
    if total is not None and size != total:
        raise ConnectionError(
            f'the connection ended after {size} of {total} bytes')
    return digest.hexdigest()


def _fetch(url: str, partial: str, retries: int, backoff: float,
           timeout: float, progress: bool) -> str:
    """:func:`_fetch_once` with retries on connection errors.

    Returns:
        str: The file's SHA-256.

    Raises:
        CheckpointDownloadError: An HTTP error that another try will not
            fix (e.g. 404), or every try failed.
    """
    attempt = 0
    while True:
        try:
            return _fetch_once(url, partial, timeout, progress)
        except urllib.error.HTTPError as error:
            if error.code == 416:  # the partial is not a prefix any more
                os.remove(partial)
                reason = 'HTTP 416 for the partial download, restarting'
            elif error.code in RETRY_STATUSES:
                reason = f'HTTP {error.code} {error.reason}'
            else:
                hint = (' (with MMPART_MODEL_ZOO_MIRROR set: is the file on '
                        'the mirror?)' if os.environ.get(ENV_MIRROR) else '')
                raise CheckpointDownloadError(
                    f'{url}: HTTP {error.code} {error.reason}{hint}'
                ) from None
        except (urllib.error.URLError, http.client.HTTPException,
                ConnectionError, TimeoutError) as error:
            reason = str(getattr(error, 'reason', None) or error)
        attempt += 1
        if attempt > retries:
            raise CheckpointDownloadError(
                f'{url}: download failed after {attempt} attempts: '
                f'{reason}. The partial file {partial} is kept and the next '
                f'try continues it. Without internet, set {ENV_OFFLINE}=1 '
                'to use the cache, or point '
                f'{ENV_MIRROR} at a mirror of the zoo.')
        time.sleep(backoff * 2**(attempt - 1))


def download_checkpoint(url: str,
                        sha256: Optional[str] = None,
                        cache_dir: Optional[str] = None,
                        *,
                        allow_unverified: Optional[bool] = None,
                        offline: Optional[bool] = None,
                        retries: int = 3,
                        backoff: float = 1.0,
                        timeout: float = 30.0,
                        progress: Optional[bool] = None) -> str:
    """Download a checkpoint into the cache, verified, and return its path.

    Args:
        url (str): ``http(s)://`` URL of the checkpoint.
        sha256 (str, optional): Its full SHA-256. Defaults to the model
            index's for this file, else the file name's hash suffix.
        cache_dir (str, optional): See :func:`checkpoint_cache_dir`.
        allow_unverified (bool, optional): Accept a URL with no known hash
            (a warning says it is unverified). Defaults to
            ``MMPART_ALLOW_UNVERIFIED``.
        offline (bool, optional): Only use the cache. Defaults to
            ``MMPART_OFFLINE``.
        retries (int): Further tries after a connection error.
        backoff (float): Seconds before the first retry, doubled each time.
        timeout (float): Socket timeout in seconds.
        progress (bool, optional): Show a progress bar. Defaults to whether
            stderr is a terminal.

    Returns:
        str: The verified file in the cache.

    Raises:
        ChecksumMismatchError: The file's hash is not the expected one
            (the file is removed).
        CheckpointDownloadError: No hash is known and unverified files are
            not allowed; offline and not cached; an HTTP error; or the
            connection failed ``retries + 1`` times.
    """
    name = url_file_name(url)
    expected = expected_sha256(url, sha256)
    if allow_unverified is None:
        allow_unverified = _env_flag(ENV_ALLOW_UNVERIFIED)
    if expected is None and not allow_unverified:
        raise CheckpointDownloadError(
            f'{url} cannot be verified: no SHA-256 was given, mmpart\'s model '
            'index has none for it, and its file name does not end in '
            '-<sha256 prefix>. Pass sha256=..., or accept it unverified with '
            f'allow_unverified=True or {ENV_ALLOW_UNVERIFIED}=1.')
    if offline is None:
        offline = _env_flag(ENV_OFFLINE)
    if progress is None:
        progress = sys.stderr.isatty()
    folder = checkpoint_cache_dir(cache_dir)
    target = osp.join(folder, name)
    os.makedirs(osp.join(folder, '.locks'), exist_ok=True)
    with _node_leader_first() as may_download, \
            FileLock(osp.join(folder, '.locks', name + '.lock')):
        if osp.exists(target):
            _verify(target, url, expected)
            return target
        if offline or not may_download:
            why = (f'{ENV_OFFLINE} is set' if offline else
                   'the download on local rank 0 failed (see its error)')
            raise CheckpointDownloadError(
                f'{name} is not in the cache {folder} and {why}. Copy the '
                'file there (it is verified when used), or download it '
                'where there is internet.')
        partial = target + '.partial'
        actual = _fetch(mirrored_url(url), partial, retries, backoff, timeout,
                        progress)
        _verify(partial, url, expected, actual)
        if expected is None:
            warnings.warn(f'{url} was downloaded UNVERIFIED (no SHA-256 '
                          'known; accepted because unverified files were '
                          'allowed)')
        os.replace(partial, target)
    return target


def load_from_http(filename: str, map_location=None) -> Any:
    """Load a checkpoint URL through :func:`download_checkpoint`.

    Args:
        filename (str): The URL.
        map_location (str, optional): As in :func:`torch.load`.

    Returns:
        dict | OrderedDict: The checkpoint, loaded weights-only.
    """
    return load_from_local(download_checkpoint(filename), map_location)


def load_from_torchvision(filename: str, map_location=None) -> Any:
    """Load ``torchvision://NAME`` (mmengine's names, e.g.
    ``resnet50.imagenet1k_v2``) through :func:`download_checkpoint`.

    torchvision's file names carry their hash prefix, so they are verified.
    """
    name = filename.split('://', 1)[1]
    urls = get_torchvision_models()
    if name not in urls:
        raise KeyError(f'{filename}: torchvision has no weights "{name}"')
    return load_from_http(urls[name], map_location)


def load_from_openmmlab(filename: str, map_location=None) -> Any:
    """Load ``open-mmlab://NAME`` (mmengine's table, as mmseg's ResNet-V1c
    ``pretrained``) through :func:`download_checkpoint`."""
    name = filename.split('://', 1)[1]
    name = get_deprecated_model_names().get(name, name)
    urls = get_external_models()
    if name not in urls:
        raise KeyError(f'{filename}: no OpenMMLab model "{name}"')
    if urls[name].startswith(('http://', 'https://')):
        return load_from_http(urls[name], map_location)
    # A relative entry names a file in mmengine's home, as mmengine reads it.
    return load_from_local(
        osp.join(_get_mmengine_home(), urls[name]), map_location)
