"""A checkpoint store under s3://BUCKET/PREFIX (same keys as LocalStore, below PREFIX)."""
import hashlib
import tempfile

from ._local_store import atomic_write, hash_path
from ._s3 import S3Client
from .errors import CheckpointError


def parse_s3_uri(uri):
    rest = uri[len("s3://"):]
    bucket, _, prefix = rest.partition("/")
    if not bucket:
        raise CheckpointError("S3 store URI needs a bucket: s3://BUCKET/PREFIX, got %r" % uri)
    return bucket, prefix.strip("/")


class S3Store:
    def __init__(self, uri, client=None):
        self.uri = uri.rstrip("/")
        self.bucket, self.prefix = parse_s3_uri(uri)
        self.client = client or S3Client()

    def _key(self, key):
        return "%s/%s" % (self.prefix, key) if self.prefix else key

    def local_path(self, key):
        return None

    def write_file(self, key, src_path):
        size, sha = hash_path(src_path)
        self.client.put_file(self.bucket, self._key(key), src_path, sha)
        return size, sha

    def write_bytes(self, key, data):
        self.client.put_bytes(self.bucket, self._key(key), data)
        return len(data), hashlib.sha256(data).hexdigest()

    def read_text(self, key):
        data = self.client.get(self.bucket, self._key(key))
        return None if data is None else data.decode("utf-8", "replace")

    def hash(self, key):
        """(size, sha256) by streaming the object (nothing kept), or None when missing."""
        with tempfile.TemporaryFile() as sink:
            return self.fetch_into(key, sink)

    def fetch_into(self, key, sink):
        return self.client.get(self.bucket, self._key(key), sink=sink)

    def fetch(self, key, dest):
        """Downloads key to dest atomically; returns (size, sha256) or None when missing."""
        try:
            return atomic_write(dest, lambda f: self._fetch_or_raise(key, f))
        except FileNotFoundError:
            return None
        except OSError as e:
            raise CheckpointError("cannot write %s: %s" % (dest, e)) from None

    def _fetch_or_raise(self, key, f):
        got = self.fetch_into(key, f)
        if got is None:
            raise FileNotFoundError(key)
        return got

    def delete(self, key):
        self.client.delete(self.bucket, self._key(key))

    def names(self):
        """Checkpoint names: the 'directories' under the prefix that hold a MANIFEST.json."""
        base = self._key("")
        found = set()
        for kind, key, _ in self.client.list(self.bucket, base):
            if kind != "key" or not key.endswith("/MANIFEST.json"):
                continue
            rel = key[len(base):]
            name = rel[: -len("/MANIFEST.json")]
            if name and "/" not in name:
                found.add(name)
        return sorted(found)
