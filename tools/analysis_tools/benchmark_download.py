# Copyright (c) mmpart contributors. All rights reserved.
"""What verification costs: mmpart's checkpoint download against torch.hub's.

    python tools/analysis_tools/benchmark_download.py [--size-mb 200]

A random file is served from 127.0.0.1 (Python's static file server, one
thread per request) and fetched in turn by
``torch.hub.download_url_to_file`` without a hash check (what mmengine's
``http(s)://`` loader does), by the same with its hash-prefix check (what
``torch.hub`` does with ``check_hash=True``), and by
:func:`mmpart.utils.download_checkpoint` with the file's SHA-256 (lock,
partial file, hashing while it streams, atomic rename), each into a fresh
folder, the order rotating from run to run and each file deleted once
timed. It prints the median time ratios and throughputs, and the time a
cached file's re-verification adds to a load. Hashing runs at about
1.5 GB/s on one core, which on loopback (faster than any real network, and
sharing the cores with the server) is comparable to the transfer itself,
so the ratio against the unchecked download is an upper bound.
"""
import argparse
import functools
import os
import os.path as osp
import shutil
import statistics
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import torch

from mmpart.utils import download_checkpoint, file_sha256


def parse_args():
    parser = argparse.ArgumentParser(
        description='mmpart verified download vs torch.hub, one run')
    parser.add_argument('--size-mb', type=int, default=200)
    parser.add_argument('--repeat', type=int, default=5)
    return parser.parse_args()


class QuietHandler(SimpleHTTPRequestHandler):
    """The static file handler without a log line per request."""

    def log_message(self, format, *args):
        pass


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory() as work:
        served = osp.join(work, 'served')
        os.makedirs(served)
        name = 'bench.pth'
        with open(osp.join(served, name), 'wb') as f:
            f.write(os.urandom(args.size_mb << 20))
        sha256 = file_sha256(osp.join(served, name))
        server = ThreadingHTTPServer(
            ('127.0.0.1', 0),
            functools.partial(QuietHandler, directory=served))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f'http://127.0.0.1:{server.server_address[1]}/{name}'
        hub, hub_checked, ours = [], [], []
        fetchers = [
            (hub, lambda dst: torch.hub.download_url_to_file(
                url, dst, progress=False)),
            (hub_checked, lambda dst: torch.hub.download_url_to_file(
                url, dst, hash_prefix=sha256[:8], progress=False)),
            (ours, lambda dst: download_checkpoint(
                url, sha256=sha256, cache_dir=dst, progress=False)),
        ]
        try:
            for run in range(args.repeat):
                # Rotate the order, and delete each file at once: the
                # dirty pages of earlier downloads slow later writes.
                for times, fetch in fetchers[run % 3:] + fetchers[:run % 3]:
                    dst = osp.join(work, 'dst')
                    times.append(timed(lambda: fetch(dst)))
                    remove = shutil.rmtree if osp.isdir(dst) else os.remove
                    remove(dst)
            cache = osp.join(work, 'cache')
            download_checkpoint(
                url, sha256=sha256, cache_dir=cache, progress=False)
            cached = [
                timed(lambda: download_checkpoint(
                    url, sha256=sha256, cache_dir=cache, progress=False))
                for _ in range(args.repeat)
            ]
        finally:
            server.shutdown()
            server.server_close()
    hub_s, ours_s = statistics.median(hub), statistics.median(ours)
    checked_s = statistics.median(hub_checked)
    print(f'file {args.size_mb} MB over 127.0.0.1, median of {args.repeat}')
    print(f'download_vs_torch_hub_checked time_ratio={ours_s / checked_s:.2f}'
          f' (mmpart verified {args.size_mb / ours_s:.0f} MB/s, torch.hub '
          f'hash-checked {args.size_mb / checked_s:.0f} MB/s)')
    print(f'download_vs_torch_hub_unchecked time_ratio={ours_s / hub_s:.2f} '
          f'(torch.hub unchecked {args.size_mb / hub_s:.0f} MB/s)')
    print(f'cached_reverify_ms={1000 * statistics.median(cached):.0f} '
          f'({args.size_mb / statistics.median(cached):.0f} MB/s)')


if __name__ == '__main__':
    main()
