"""Fixtures for the checkpoint store integration tests: a real s3rver on 127.0.0.1 and a free
port, boto3 pointed at it, and a helper that runs `mlcost checkpoint ...`.

The mlcost binary comes from $MLCOST_BINARY (ctest sets it) or build/mlcost in the repository;
s3rver from tests/node/node_modules (./setup.sh installs it).
"""
import os
import re
import sys
import subprocess

import pytest

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO_ROOT, "tests"))
from s3rver_process import ACCESS_KEY, SECRET_KEY, running  # noqa: E402


def binary_path():
    path = os.environ.get("MLCOST_BINARY") or os.path.join(REPO_ROOT, "build", "mlcost")
    return os.path.abspath(path)


@pytest.fixture(scope="session")
def s3rver(tmp_path_factory):
    yield from running(str(tmp_path_factory.mktemp("s3")))


@pytest.fixture(scope="session")
def s3(s3rver):
    return s3rver.boto3()


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
