"""Fixtures for the `mlcost cache` integration tests: the real binary, a work directory per test
(cwd), a real s3rver for push/pull."""
import json
import os
import re
import subprocess
import sys

import pytest

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO_ROOT, "tests"))
from s3rver_process import running  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from stagecache_helpers import binary_path  # noqa: E402


@pytest.fixture(autouse=True)
def work(tmp_path, monkeypatch):
    d = tmp_path / "work"
    d.mkdir()
    monkeypatch.chdir(d)
    for k in ("MLCOST_CACHE_DIR", "MLCOST_CACHE_REMOTE", "MLCOST_CACHE_ENV"):
        monkeypatch.delenv(k, raising=False)
    return d


@pytest.fixture
def cdir(tmp_path):
    return str(tmp_path / "cache")


class Cli:
    def __init__(self, cdir):
        self.cdir = cdir
        if not os.access(binary_path(), os.X_OK):
            pytest.fail("mlcost binary not found at %s (set MLCOST_BINARY or build build/mlcost)" % binary_path())

    def __call__(self, *args, check=None, env=None, cache_dir=True, **kw):
        argv = [binary_path(), "cache", args[0]]
        if cache_dir:
            argv += ["--cache-dir", self.cdir]
        argv += list(args[1:])
        p = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120, **kw)
        if check is not None:
            assert p.returncode == check, "exit %d, wanted %d\nstdout: %s\nstderr: %s" % (
                p.returncode, check, p.stdout, p.stderr)
        return p

    def run_json(self, *args, check=0, env=None):
        p = self("run", "--json", *args, check=check, env=env)
        return json.loads(p.stdout.strip().splitlines()[-1])

    def popen(self, *args):
        return subprocess.Popen([binary_path(), "cache", args[0], "--cache-dir", self.cdir] + list(args[1:]),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def cli(cdir):
    return Cli(cdir)


@pytest.fixture(scope="session")
def s3rver(tmp_path_factory):
    yield from running(str(tmp_path_factory.mktemp("s3")))


@pytest.fixture
def bucket(s3rver, request):
    name = "sc-" + re.sub(r"[^a-z0-9-]", "-", request.node.name.lower())[:40]
    s3rver.boto3().create_bucket(Bucket=name)
    return name
