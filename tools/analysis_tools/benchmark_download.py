# Copyright (c) mmpart contributors. All rights reserved.
"""What verification costs: mmpart's checkpoint download against torch.hub's.

    python tools/analysis_tools/benchmark_download.py [--size-mb 200]

A random file is served from 127.0.0.1 (Python's static file server, one
thread per request) and fetched alternately by
``torch.hub.download_url_to_file`` without a hash check (what mmengine's
``http(s)://`` loader does) and by
:func:`mmpart.utils.download_checkpoint` with the file's SHA-256 (lock,
partial file, progress off, hash, atomic rename), each into a fresh cache.
It prints the median time ratio and throughputs, and the time a cached
file's re-verification adds to a load. The loopback link is far faster
than a real network, so the ratio is an upper bound on the overhead.
"""
import argparse
import functools
import os
import os.path as osp
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
        hub, ours = [], []
        try:
            for run in range(args.repeat):
                hub_dir = osp.join(work, f'hub{run}')
                os.makedirs(hub_dir)
                hub.append(
                    timed(lambda: torch.hub.download_url_to_file(
                        url, osp.join(hub_dir, name), progress=False)))
                cache = osp.join(work, f'cache{run}')
                ours.append(
                    timed(lambda: download_checkpoint(
                        url, sha256=sha256, cache_dir=cache,
                        progress=False)))
            cached = [
                timed(lambda: download_checkpoint(
                    url, sha256=sha256, cache_dir=cache, progress=False))
                for _ in range(args.repeat)
            ]
        finally:
            server.shutdown()
            server.server_close()
    hub_s, ours_s = statistics.median(hub), statistics.median(ours)
    print(f'file {args.size_mb} MB over 127.0.0.1, median of {args.repeat}')
    print(f'download_vs_torch_hub time_ratio={ours_s / hub_s:.2f} '
          f'(mmpart verified {args.size_mb / ours_s:.0f} MB/s, '
          f'torch.hub unverified {args.size_mb / hub_s:.0f} MB/s)')
    print(f'cached_reverify_ms={1000 * statistics.median(cached):.0f} '
          f'({args.size_mb / statistics.median(cached):.0f} MB/s)')


if __name__ == '__main__':
    main()
