"""Helpers shared by conftest.py and the tests (a module name of its own, so pytest runs of several
test folders at once do not mix up their conftests)."""
import os
import sys

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO_ROOT, "tests"))
from s3rver_process import ACCESS_KEY, SECRET_KEY  # noqa: E402


def binary_path():
    return os.path.abspath(os.environ.get("MLCOST_BINARY") or os.path.join(REPO_ROOT, "build", "mlcost"))


def s3_env(s3rver):
    env = dict(os.environ)
    for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        env.pop(k, None)
    env.update({"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_REGION": "us-east-1",
                "MLCOST_S3_ENDPOINT_URL": s3rver.url})
    return env
