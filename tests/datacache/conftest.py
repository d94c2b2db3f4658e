"""Fixtures for the data cache integration tests: a real s3rver as the upstream, `mlcost datacache
serve` in front of it on a free port, and boto3 / the aws CLI as clients (docs/datacache.md).

The mlcost binary comes from $MLCOST_BINARY (ctest sets it) or build/mlcost in the repository.
"""
import os
import re
import signal
import subprocess
import sys
import time

import pytest

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO_ROOT, "tests"))
from s3rver_process import ACCESS_KEY, SECRET_KEY, running  # noqa: E402

_LISTEN_RE = re.compile(r"mlcost datacache listening on (http://127\.0\.0\.1:\d+)")


def binary_path():
    return os.path.abspath(os.environ.get("MLCOST_BINARY") or os.path.join(REPO_ROOT, "build", "mlcost"))


def aws_env(extra=None):
    env = dict(os.environ)
    for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "MLCOST_S3_ENDPOINT_URL"):
        env.pop(k, None)
    env.update({"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_REGION": "us-east-1",
                "AWS_DEFAULT_REGION": "us-east-1"})
    env.update(extra or {})
    return env


class DataCache:
    """`mlcost datacache serve` as a child process; .url once it printed its port."""

    def __init__(self, upstream, cache_dir, max_size="64M", ttl=3600, extra=()):
        self.args = [binary_path(), "datacache", "serve", "--upstream", upstream, "--dir", str(cache_dir),
                     "--max-size", str(max_size), "--ttl", str(ttl), "--port", "0", *extra]
        self.log_path = str(cache_dir) + ".log"
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=log, env=aws_env(),
                                         stdin=subprocess.DEVNULL)
        line = self.proc.stdout.readline().decode()
        m = _LISTEN_RE.search(line)
        if not m:
            self.proc.wait(10)
            raise AssertionError("datacache did not start: %r\n%s" % (line, self.log()))
        self.url = m.group(1)

    def log(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def boto3(self, secret=SECRET_KEY, access=ACCESS_KEY):
        import boto3
        from botocore.config import Config
        return boto3.client("s3", endpoint_url=self.url, aws_access_key_id=access, aws_secret_access_key=secret,
                            region_name="us-east-1",
                            config=Config(retries={"max_attempts": 1, "mode": "standard"}))

    def metrics(self):
        import requests
        text = requests.get(self.url + "/metrics", timeout=10).text
        out = {}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                name, value = line.rsplit(" ", 1)
                out[name] = float(value)
        return out

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        assert self.proc.returncode in (0, -9), "datacache exited %s\n%s" % (self.proc.returncode, self.log())


@pytest.fixture
def s3rver(tmp_path):
    yield from running(str(tmp_path), buckets=["data"])


@pytest.fixture
def upstream(s3rver):
    """boto3 straight to s3rver (the truth the cache is checked against)."""
    return s3rver.boto3()


@pytest.fixture
def start_cache(s3rver, tmp_path):
    started = []

    def start(cache_dir=None, **kw):
        c = DataCache(s3rver.url, cache_dir or (tmp_path / "cache"), **kw)
        started.append(c)
        return c

    yield start
    for c in started:
        c.stop()


def cache_header(response):
    return response["ResponseMetadata"]["HTTPHeaders"].get("x-mlcost-cache")
