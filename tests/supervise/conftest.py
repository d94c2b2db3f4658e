"""Fixtures for the `mlcost run` supervision tests: the real server (from tests/python's
conftest), a server on a fixed port that can be stopped and started again, a fake cloud metadata
service, and a real s3rver."""
import importlib.util
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


# tests/python's fixtures (the real server), loaded under another module name.
_spec = importlib.util.spec_from_file_location(
    "mlcost_server_fixtures", os.path.join(os.path.dirname(__file__), "..", "python", "conftest.py"))
_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fixtures)
REPO_ROOT = _fixtures.REPO_ROOT
binary_path = _fixtures.binary_path
unique = _fixtures.unique
mlcost_binary = _fixtures.mlcost_binary
server = _fixtures.server

sys.path.insert(0, os.path.join(REPO_ROOT, "tests"))
from s3rver_process import running  # noqa: E402
RUN_TIMEOUT_S = 120


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FixedPortServer:
    """`mlcost serve` on one data dir and one port, stopped and started again at will."""

    def __init__(self, root):
        self.data_dir = os.path.join(root, "data")
        self.root = root
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.proc = None
        self.n = 0

    def start(self):
        self.n += 1
        out = open(os.path.join(self.root, "serve-%d.out" % self.n), "wb")
        err = open(os.path.join(self.root, "serve-%d.err" % self.n), "wb")
        self.proc = subprocess.Popen([binary_path(), "serve", "--data-dir", self.data_dir, "--host", "127.0.0.1",
                                      "--port", str(self.port)], stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                if self.proc.poll() is not None:
                    raise AssertionError("mlcost serve exited: %s" % open(err.name).read())
                time.sleep(0.05)
        raise AssertionError("mlcost serve did not listen on %d" % self.port)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(30)


@pytest.fixture
def fixed_server(tmp_path):
    s = FixedPortServer(str(tmp_path / "server"))
    os.makedirs(s.root)
    s.start()
    try:
        yield s
    finally:
        s.stop()


class FakeMetadata:
    """A cloud instance metadata service: `cloud` is aws, gcp or azure; `preempt` switches the
    notice on; `hang` makes every request hang (never answered)."""

    def __init__(self, cloud):
        self.cloud = cloud
        self.preempt = False
        self.hang = False
        self.requests = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, code, body=b"", ctype="text/plain"):
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_PUT(self):
                fake.requests += 1
                if fake.hang:
                    time.sleep(30)
                    return
                if fake.cloud == "aws" and self.path == "/latest/api/token" and \
                        self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
                    return self.reply(200, b"token-1")
                self.reply(404)

            def do_GET(self):
                fake.requests += 1
                if fake.hang:
                    time.sleep(30)
                    return
                if fake.cloud == "aws" and self.path == "/latest/meta-data/spot/instance-action":
                    if self.headers.get("X-aws-ec2-metadata-token") != "token-1":
                        return self.reply(401)
                    if not fake.preempt:
                        return self.reply(404)
                    return self.reply(200, b'{"action": "terminate", "time": "2026-12-01T18:00:00Z"}',
                                      "application/json")
                if fake.cloud == "gcp" and self.path == "/computeMetadata/v1/instance/preempted" and \
                        self.headers.get("Metadata-Flavor") == "Google":
                    return self.reply(200, b"TRUE" if fake.preempt else b"FALSE")
                if fake.cloud == "azure" and self.path.startswith("/metadata/scheduledevents") and \
                        self.headers.get("Metadata") == "true":
                    events = b'[{"EventId":"1","EventType":"Preempt","NotBefore":"Tue, 01 Dec 2026 18:00:00 GMT"}]'
                    body = b'{"DocumentIncarnation":1,"Events":' + (events if fake.preempt else b"[]") + b"}"
                    return self.reply(200, body, "application/json")
                self.reply(404)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def metadata_factory():
    made = []

    def make(cloud):
        m = FakeMetadata(cloud)
        made.append(m)
        return m

    yield make
    for m in made:
        m.close()


@pytest.fixture
def s3rver():
    with tempfile.TemporaryDirectory(prefix="mlcost-s3-") as tmp:
        yield from running(tmp, buckets=["ckpt"])


def mlcost_run(url, args, cwd, command, env=None, timeout=RUN_TIMEOUT_S):
    """`mlcost run --server URL --cloud none ARGS -- COMMAND` in `cwd` (--cloud in ARGS wins)."""
    cloud = [] if "--cloud" in args else ["--cloud", "none"]
    cmd = [binary_path(), "run", "--server", url, *cloud, "--sample-interval", "0.2", *args, "--", *command]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, env=env)


def v1_run(url, run_id):
    import requests
    r = requests.get(url + "/api/v1/runs/" + run_id, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def run_id_from(stderr):
    m = re.search(r"mlcost run: run ([0-9a-f]{32}) ", stderr)
    assert m, stderr
    return m.group(1)
