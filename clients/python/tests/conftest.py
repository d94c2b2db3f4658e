"""Fixtures for the Python client tests: the real `mlcost serve` (reused from tests/python),
a counting and switchable HTTP proxy in front of it, and a real s3rver.

The package is imported from clients/python/src (test_install.py checks the pip-installed copy).
"""
import http.client
import http.server
import importlib.util
import os
import socket
import sys
import tempfile
import threading
import urllib.parse

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENT_ROOT = os.path.dirname(HERE)
REPO_ROOT = os.path.abspath(os.path.join(CLIENT_ROOT, "..", ".."))
sys.path.insert(0, os.path.join(CLIENT_ROOT, "src"))

_spec = importlib.util.spec_from_file_location("mlcost_server_fixtures",
                                               os.path.join(REPO_ROOT, "tests", "python", "conftest.py"))
server_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(server_fixtures)
mlcost_binary = server_fixtures.mlcost_binary
server_factory = server_fixtures.server_factory
server = server_fixtures.server
metric_history = server_fixtures.metric_history
create_run = server_fixtures.create_run
unique = server_fixtures.unique

sys.path.insert(0, os.path.join(REPO_ROOT, "tests"))
from s3rver_process import S3rver, missing_reason  # noqa: E402


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    """No test inherits `mlcost run`'s variables, and each runs in its own directory (spool,
    default stores)."""
    for name in ("MLCOST_TRACKING_URI", "MLFLOW_TRACKING_URI", "MLCOST_RUN_ID", "MLFLOW_RUN_ID",
                 "MLFLOW_EXPERIMENT_ID", "MLCOST_CHECKPOINT_DIR", "MLCOST_RESUME_FROM", "MLCOST_CHECKPOINT_STORE",
                 "MLCOST_SPOOL_DIR", "MLCOST_S3_ENDPOINT_URL", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


# --- a proxy that counts requests and can play "server down" --------------------------------------
class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _forward(self):
        proxy = self.server.proxy
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        path = urllib.parse.urlsplit(self.path).path
        with proxy.lock:
            canned = proxy.canned.get(path)
            status = proxy.fail_status
            index = len(proxy.requests)
            proxy.requests.append((self.command, self.path, body, canned[0] if canned else status or 0))
        if canned is not None:
            payload = canned[1]
            self.send_response(canned[0])
        elif status is not None:
            payload = b'{"error_code": "TEMPORARILY_UNAVAILABLE", "message": "proxy says no"}'
            self.send_response(status)
        else:
            target = urllib.parse.urlsplit(proxy.target)
            conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
            conn.request(self.command, self.path, body=body, headers=headers)
            resp = conn.getresponse()
            payload = resp.read()
            conn.close()
            with proxy.lock:
                proxy.requests[index] = (self.command, self.path, body, resp.status)
            self.send_response(resp.status)
            for k, v in resp.getheaders():
                if k.lower() not in ("content-length", "connection", "transfer-encoding"):
                    self.send_header(k, v)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _forward


class Proxy:
    """HTTP proxy on 127.0.0.1:<port> to `target`. requests: [(method, path?query, body, status)],
    in arrival order (status 0 while in flight). down() closes the listening socket (clients get
    "connection refused"); up() reopens the same port; fail_status makes it answer that status
    without forwarding; canned = {path: (status, body)} answers those paths itself."""

    def __init__(self, target):
        self.target = target
        self.lock = threading.Lock()
        self.requests = []
        self.fail_status = None
        self.canned = {}
        self.port = 0
        self._httpd = None
        self.up()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def up(self):
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), _Handler)
        httpd.daemon_threads = True
        httpd.proxy = self
        self.port = httpd.server_address[1]
        self._httpd = httpd
        threading.Thread(target=httpd.serve_forever, daemon=True).start()

    def down(self):
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def count(self, path_suffix):
        with self.lock:
            return sum(1 for _, p, _, _ in self.requests if p.endswith(path_suffix))

    def delivered_batches(self):
        """Bodies (decoded) of the log-batch requests the server answered 200, in order."""
        import json
        with self.lock:
            return [json.loads(b) for m, p, b, st in self.requests if p.endswith("/runs/log-batch") and st == 200]

    def delivered(self, kind):
        """Every item of `kind` ("metrics", "params", "tags") the server accepted, in order."""
        return [item for batch in self.delivered_batches() for item in batch.get(kind, [])]


@pytest.fixture
def proxy_factory():
    made = []

    def make(target):
        p = Proxy(target)
        made.append(p)
        return p

    yield make
    for p in made:
        p.down()


# --- s3rver (tests/s3rver_process.py) ----------------------------------------------------
@pytest.fixture
def s3rver(monkeypatch):
    if missing_reason():
        pytest.fail(missing_reason())
    with tempfile.TemporaryDirectory(prefix="mlcost-s3-") as tmp:
        s = S3rver(tmp, buckets=["ckpt"])
        for key, value in s.env({}).items():
            monkeypatch.setenv(key, value)
        monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
        try:
            yield s
        finally:
            s.stop()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
