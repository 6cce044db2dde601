# Copyright (c) mmpart contributors. All rights reserved.
"""A small file server on 127.0.0.1 for the model-zoo download tests.

It serves the files of one folder with HTTP Range support, counts and logs
every request, and can be told to cut the connection part way through a
file, so a test sees exactly what a client did over the wire.
"""
import os
import os.path as osp
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, List, Optional


class _Handler(BaseHTTPRequestHandler):
    """Serve ``server.root`` with Range requests and injected cuts."""

    server: 'ZooServer'
    protocol_version = 'HTTP/1.1'

    def log_message(self, format, *args):  # keep the test output clean
        pass

    def do_GET(self):  # noqa: N802 (http.server's name)
        name = self.path.lstrip('/').split('?', 1)[0]
        range_header = self.headers.get('Range')
        self.server.record(name, range_header)
        path = osp.join(self.server.root, name)
        if not name or not osp.isfile(path):
            self.send_error(404, 'Not Found')
            return
        with open(path, 'rb') as f:
            data = f.read()
        start = 0
        match = re.fullmatch(r'bytes=(\d+)-', range_header or '')
        if match and self.server.supports_range:
            start = int(match.group(1))
            if start >= len(data):
                self.send_response(416)
                self.send_header('Content-Range', f'bytes */{len(data)}')
                self.send_header('Content-Length', '0')
                self.end_headers()
                return
            self.send_response(206)
            self.send_header('Content-Range',
                             f'bytes {start}-{len(data) - 1}/{len(data)}')
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header('Content-Length', str(len(body)))
        self.send_header('Accept-Ranges', 'bytes')
        self.end_headers()
        cut = self.server.take_cut(name)
        if cut is not None:
            # Send part of the body, then drop the connection: the client
            # sees a short read, as when a network link fails.
            self.wfile.write(body[:cut])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)


class ZooServer(ThreadingHTTPServer):
    """Serve a folder on ``127.0.0.1`` in a background thread.

    Args:
        root (str): The folder whose files are served by name.

    Attributes:
        requests (list[tuple[str, str | None]]): Every GET as
            ``(file name, Range header)``, in arrival order.
        supports_range (bool): Whether Range requests get 206 answers
            (else the whole file, 200).
    """

    daemon_threads = True

    def __init__(self, root: str):
        super().__init__(('127.0.0.1', 0), _Handler)
        self.root = root
        self.requests: List[tuple] = []
        self.supports_range = True
        self._cuts: Dict[str, List[int]] = {}
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever,
                                        daemon=True)

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f'http://127.0.0.1:{self.server_address[1]}'

    def url(self, name: str) -> str:
        """The URL of the served file ``name``."""
        return f'{self.base_url}/{name}'

    def publish(self, name: str, data: bytes) -> str:
        """Write ``data`` as the served file ``name``; return its URL."""
        with open(osp.join(self.root, name), 'wb') as f:
            f.write(data)
        return self.url(name)

    def cut_after(self, name: str, *byte_counts: int) -> None:
        """Cut the next GETs of ``name`` after these many body bytes each."""
        with self._lock:
            self._cuts.setdefault(name, []).extend(byte_counts)

    def take_cut(self, name: str) -> Optional[int]:
        with self._lock:
            cuts = self._cuts.get(name)
            return cuts.pop(0) if cuts else None

    def record(self, name: str, range_header: Optional[str]) -> None:
        with self._lock:
            self.requests.append((name, range_header))

    def gets(self, name: str) -> List[Optional[str]]:
        """The Range headers of every GET of ``name`` so far."""
        with self._lock:
            return [r for n, r in self.requests if n == name]

    def __enter__(self):
        os.makedirs(self.root, exist_ok=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=10)
