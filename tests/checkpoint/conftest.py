"""Fixtures for the checkpoint store integration tests: a real s3rver on 127.0.0.1 and a free
port, boto3 pointed at it, and a helper that runs `mlcost checkpoint ...`.

The mlcost binary comes from $MLCOST_BINARY (ctest sets it) or build/mlcost in the repository;
s3rver from tests/node/node_modules (./setup.sh installs it).
"""
import os
import re
import signal
import subprocess
import time

import pytest

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
S3RVER = os.path.join(REPO_ROOT, "tests", "node", "node_modules", ".bin", "s3rver")
LISTEN_RE = re.compile(r"listening on 127\.0\.0\.1:(\d+)")
ACCESS_KEY = "S3RVER"  # s3rver's built-in account
SECRET_KEY = "S3RVER"


def binary_path():
    path = os.environ.get("MLCOST_BINARY") or os.path.join(REPO_ROOT, "build", "mlcost")
    return os.path.abspath(path)


class S3rver:
    def __init__(self, base_dir):
        self.data_dir = os.path.join(base_dir, "s3rver-data")
        self.log_path = os.path.join(base_dir, "s3rver.log")
        os.makedirs(self.data_dir)
        env = dict(os.environ)
        # s3rver's ListObjectsV2 continuation tokens use DES: Node's OpenSSL 3 has it only here.
        env["NODE_OPTIONS"] = "--openssl-legacy-provider"
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen([S3RVER, "-d", self.data_dir, "-a", "127.0.0.1", "-p", "0"],
                                         stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         env=env, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            m = LISTEN_RE.search(self.log())
            if m:
                self.endpoint = "http://127.0.0.1:%s" % m.group(1)
                return
            if self.proc.poll() is not None:
                raise AssertionError("s3rver exited: " + self.log())
            time.sleep(0.05)
        self.stop()
        raise AssertionError("s3rver did not start: " + self.log())

    def log(self):
        with open(self.log_path, "r", errors="replace") as f:
            return f.read()

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


@pytest.fixture(scope="session")
def s3rver(tmp_path_factory):
    if not os.path.exists(S3RVER):
        pytest.skip("s3rver is not installed (./setup.sh)")
    server = S3rver(str(tmp_path_factory.mktemp("s3")))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def s3(s3rver):
    boto3 = pytest.importorskip("boto3")
    from botocore.config import Config
    return boto3.client("s3", endpoint_url=s3rver.endpoint, aws_access_key_id=ACCESS_KEY,
                        aws_secret_access_key=SECRET_KEY, region_name="us-east-1",
                        config=Config(s3={"addressing_style": "path"}))


@pytest.fixture
def bucket(s3, request):
    name = "ckpt-" + re.sub(r"[^a-z0-9-]", "-", request.node.name.lower())[:50]
    s3.create_bucket(Bucket=name)
    return name


def s3_env(endpoint=None, extra=None):
    env = dict(os.environ)
    for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "MLCOST_S3_PART_SIZE", "AWS_ENDPOINT_URL"):
        env.pop(k, None)
    env.update({"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_REGION": "us-east-1"})
    if endpoint:
        env["MLCOST_S3_ENDPOINT_URL"] = endpoint
    env.update(extra or {})
    return env


def mlcost(*args, env=None, check=None, timeout=120):
    """Runs `mlcost ARGS...`; returns the CompletedProcess. `check`: the exit status expected."""
    proc = subprocess.run([binary_path(), *args], capture_output=True, text=True, env=env, timeout=timeout)
    if check is not None:
        assert proc.returncode == check, "exit %d, wanted %d\nstdout: %s\nstderr: %s" % (
            proc.returncode, check, proc.stdout, proc.stderr)
    return proc
