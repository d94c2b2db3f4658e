"""A real s3rver (npm, installed into tests/node by ./setup.sh) on 127.0.0.1 and a free port, for
every Python test that needs S3: tests/checkpoint, tests/supervise and clients/python/tests.

    s = S3rver(tmp_dir, buckets=["ckpt"])   # waits for its "listening" line
    s.url, s.env(), s.boto3(), s.stop()
"""
import os
import re
import signal
import subprocess
import time

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
S3RVER = os.path.join(REPO_ROOT, "tests", "node", "node_modules", ".bin", "s3rver")
ACCESS_KEY = "S3RVER"  # s3rver's built-in account
SECRET_KEY = "S3RVER"
START_TIMEOUT_S = 60
_LISTEN_RE = re.compile(r"listening on 127\.0\.0\.1:(\d+)")


def missing_reason():
    """Why s3rver cannot run here ("" when it can): a test must fail, not skip, on a machine
    ./setup.sh has not prepared."""
    if not os.access(S3RVER, os.X_OK):
        return "s3rver not found at %s (run ./setup.sh, which installs tests/node)" % S3RVER
    return ""


def running(root, buckets=()):
    """For a fixture to `yield from`: an S3rver in `root` with `buckets`, stopped afterwards; the
    test fails (never skips) when s3rver is missing."""
    if missing_reason():
        import pytest
        pytest.fail(missing_reason())
    server = S3rver(root, buckets=buckets)
    try:
        yield server
    finally:
        server.stop()


class S3rver:
    def __init__(self, root, buckets=()):
        self.dir = os.path.join(root, "s3rver-data")
        os.makedirs(self.dir)
        self.log_path = os.path.join(root, "s3rver.log")
        env = dict(os.environ)
        # s3rver's ListObjectsV2 continuation tokens use DES: Node's OpenSSL 3 has it only here.
        env["NODE_OPTIONS"] = "--openssl-legacy-provider"
        cmd = [S3RVER, "-d", self.dir, "-a", "127.0.0.1", "-p", "0"]  # its request log: tests count parts
        for bucket in buckets:
            cmd += ["--configure-bucket", bucket]
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         env=env, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            m = _LISTEN_RE.search(self.log())
            if m:
                self.url = "http://127.0.0.1:%s" % m.group(1)
                return
            if self.proc.poll() is not None:
                raise AssertionError("s3rver exited: " + self.log())
            time.sleep(0.05)
        self.stop()
        raise AssertionError("s3rver did not start: " + self.log())

    @property
    def endpoint(self):
        return self.url

    def log(self):
        with open(self.log_path, "r", errors="replace") as f:
            return f.read()

    def env(self, base=None):
        """`base` (default os.environ) with the credentials and endpoint mlcost reads."""
        e = dict(os.environ if base is None else base)
        e.update({"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
                  "MLCOST_S3_ENDPOINT_URL": self.url})
        e.pop("AWS_SESSION_TOKEN", None)
        return e

    def boto3(self):
        import boto3
        from botocore.config import Config
        return boto3.client("s3", endpoint_url=self.url, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                            region_name="us-east-1", config=Config(s3={"addressing_style": "path"}))

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
