"""Fixtures that run the real `mlcost serve` on 127.0.0.1, port 0, in a temporary data dir.

The binary comes from $MLCOST_BINARY (ctest sets it) or build/mlcost in the repository.
Every server started here is killed in teardown, whatever the test did.
"""
import os
import re
import signal
import subprocess
import tempfile
import time

import pytest
import requests

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LISTEN_RE = re.compile(r"^mlcost listening on (http://127\.0\.0\.1:(\d+)) \(data dir (.*)\)$")
START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 10.0
HTTP_TIMEOUT_S = 30.0


def binary_path():
    path = os.environ.get("MLCOST_BINARY") or os.path.join(REPO_ROOT, "build", "mlcost")
    return os.path.abspath(path)


class ServerProcess:
    """One `mlcost serve` child. stdout/stderr go to files so a full pipe can never block it."""

    def __init__(self, data_dir, log_dir, extra_args=()):
        self.data_dir = data_dir
        self.log_dir = log_dir
        self.extra_args = list(extra_args)
        self.proc = None
        self.url = None
        self.port = None
        self._n = 0
        self.stdout_path = None
        self.stderr_path = None

    def start(self, timeout=START_TIMEOUT_S):
        """Starts the server and waits for its "listening" line; raises on failure."""
        self._n += 1
        self.stdout_path = os.path.join(self.log_dir, "serve-%d.out" % self._n)
        self.stderr_path = os.path.join(self.log_dir, "serve-%d.err" % self._n)
        cmd = [binary_path(), "serve", "--data-dir", self.data_dir, "--host", "127.0.0.1", "--port", "0",
               *self.extra_args]
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self._first_line()
            if line is not None:
                m = LISTEN_RE.match(line)
                if not m:
                    self.kill()
                    raise AssertionError("unexpected first stdout line: %r" % line)
                self.url = m.group(1)
                self.port = int(m.group(2))
                assert m.group(3) == self.data_dir, line
                return self
            if self.proc.poll() is not None:
                raise AssertionError("mlcost serve exited with %s before listening; stderr: %s"
                                     % (self.proc.returncode, self.stderr()))
            time.sleep(0.02)
        self.kill()
        raise AssertionError("mlcost serve did not print its listening line in %.0f s; stderr: %s"
                             % (timeout, self.stderr()))

    def _first_line(self):
        with open(self.stdout_path, "rb") as f:
            data = f.read()
        if b"\n" not in data:
            return None
        return data.split(b"\n", 1)[0].decode("utf-8", "replace")

    def stderr(self):
        if not self.stderr_path or not os.path.exists(self.stderr_path):
            return ""
        with open(self.stderr_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=STOP_TIMEOUT_S):
        """SIGTERM, then SIGKILL if it does not exit in time. Returns the exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=timeout)
        return self.proc.returncode

    def kill(self):
        """SIGKILL: a crash, as far as the data directory can tell."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=STOP_TIMEOUT_S)
        return self.proc.returncode

    # HTTP helpers -------------------------------------------------------------------------
    def get(self, path, **kw):
        kw.setdefault("timeout", HTTP_TIMEOUT_S)
        return requests.get(self.url + path, **kw)

    def post(self, path, json=None, data=None, **kw):
        kw.setdefault("timeout", HTTP_TIMEOUT_S)
        return requests.post(self.url + path, json=json, data=data, **kw)

    def put(self, path, data=None, **kw):
        kw.setdefault("timeout", HTTP_TIMEOUT_S)
        return requests.put(self.url + path, data=data, **kw)

    def mlflow_get(self, path, params=None):
        return self.get("/api/2.0/mlflow/" + path, params=params)

    def mlflow_post(self, path, body=None, data=None, headers=None):
        if data is not None:
            h = {"Content-Type": "application/json"}
            h.update(headers or {})
            return self.post("/api/2.0/mlflow/" + path, data=data, headers=h)
        return self.post("/api/2.0/mlflow/" + path, json=body if body is not None else {}, headers=headers)

    def healthy(self):
        r = self.get("/healthz", timeout=5)
        return r.status_code == 200 and r.json().get("status") == "ok"


class ServerFactory:
    """Creates servers (each in its own temp data dir unless one is given) and kills them all."""

    def __init__(self, tmp_root):
        self.tmp_root = tmp_root
        self.servers = []
        self._dirs = 0

    def new_data_dir(self):
        self._dirs += 1
        path = os.path.join(self.tmp_root, "data-%d" % self._dirs)
        return path

    def make(self, data_dir=None, extra_args=()):
        data_dir = data_dir or self.new_data_dir()
        s = ServerProcess(data_dir, self.tmp_root, extra_args)
        self.servers.append(s)
        return s

    def start(self, data_dir=None, extra_args=()):
        return self.make(data_dir, extra_args).start()

    def cleanup(self):
        for s in self.servers:
            try:
                s.stop(timeout=5)
            except Exception:  # noqa: BLE001 - teardown must reach every child
                try:
                    s.kill()
                except Exception:  # noqa: BLE001
                    pass


@pytest.fixture(scope="session")
def mlcost_binary():
    path = binary_path()
    if not os.access(path, os.X_OK):
        pytest.fail("mlcost binary not found at %s (set MLCOST_BINARY or build build/mlcost)" % path)
    return path


@pytest.fixture
def server_factory(mlcost_binary):
    with tempfile.TemporaryDirectory(prefix="mlcost-it-") as tmp:
        factory = ServerFactory(tmp)
        try:
            yield factory
        finally:
            factory.cleanup()


@pytest.fixture(scope="module")
def server(mlcost_binary):
    """One server per test module (tests create their own experiments/runs, so they don't clash)."""
    with tempfile.TemporaryDirectory(prefix="mlcost-it-") as tmp:
        factory = ServerFactory(tmp)
        try:
            yield factory.start()
        finally:
            factory.cleanup()


_counter = [0]


def unique(prefix):
    _counter[0] += 1
    return "%s-%d-%d-%d" % (prefix, os.getpid(), int(time.time() * 1000), _counter[0])


def now_ms():
    return int(time.time() * 1000)


def create_experiment(srv, name=None):
    r = srv.mlflow_post("experiments/create", {"name": name or unique("exp")})
    assert r.status_code == 200, r.text
    return r.json()["experiment_id"]


def create_run(srv, experiment_id="0", tags=None, run_name=None):
    body = {"experiment_id": experiment_id, "start_time": now_ms()}
    if tags:
        body["tags"] = [{"key": k, "value": v} for k, v in tags.items()]
    if run_name:
        body["run_name"] = run_name
    r = srv.mlflow_post("runs/create", body)
    assert r.status_code == 200, r.text
    return r.json()["run"]


def metric_history(srv, run_id, key):
    r = srv.mlflow_get("metrics/get-history", {"run_id": run_id, "metric_key": key})
    assert r.status_code == 200, r.text
    return r.json().get("metrics", [])


def assert_error(resp, status, error_code, message_contains=None):
    assert resp.status_code == status, "%s %s" % (resp.status_code, resp.text)
    body = resp.json()
    assert body.get("error_code") == error_code, body
    assert isinstance(body.get("message"), str) and body["message"], body
    if message_contains is not None:
        assert message_contains in body["message"], body
    return body
