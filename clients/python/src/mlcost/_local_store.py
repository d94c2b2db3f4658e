"""A checkpoint store in a local or network directory (keys are '/'-separated paths under root).

Writes are atomic: a temp file in the destination directory, fsync, rename, fsync the directory,
so a crash leaves either the old file or the new one, never half of one.
"""
import hashlib
import os
import shutil
import uuid

from .errors import CheckpointError

CHUNK = 1 << 20


def _fsync_dir(path):
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(dest, writer):
    """Calls writer(file_object) on a temp file beside dest, fsyncs and renames it to dest.
    Returns whatever writer returns. The temp file is removed on any failure."""
    directory = os.path.dirname(dest) or "."
    os.makedirs(directory, exist_ok=True)
    tmp = os.path.join(directory, ".%s.tmp-%s" % (os.path.basename(dest), uuid.uuid4().hex[:12]))
    try:
        with open(tmp, "wb") as f:
            result = writer(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, dest)
        _fsync_dir(directory)
        return result
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def atomic_write_path(dest, fn):
    """Calls fn(temp_path) to write a file beside dest, fsyncs it and renames it to dest."""
    directory = os.path.dirname(dest) or "."
    os.makedirs(directory, exist_ok=True)
    tmp = os.path.join(directory, ".%s.tmp-%s" % (os.path.basename(dest), uuid.uuid4().hex[:12]))
    try:
        fn(tmp)
        if not os.path.isfile(tmp):
            raise OSError("the save function wrote no file at %s" % tmp)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, dest)
        _fsync_dir(directory)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def copy_hashing(src_file, dst_file):
    h, size = hashlib.sha256(), 0
    while True:
        chunk = src_file.read(CHUNK)
        if not chunk:
            return size, h.hexdigest()
        h.update(chunk)
        dst_file.write(chunk)
        size += len(chunk)


def hash_path(path):
    h, size = hashlib.sha256(), 0
    with open(path, "rb") as f:
        while True:
            chunk = f.read(CHUNK)
            if not chunk:
                return size, h.hexdigest()
            h.update(chunk)
            size += len(chunk)


class LocalStore:
    def __init__(self, root, uri=None):
        self.root = os.path.abspath(root)
        self.uri = uri or self.root

    def _path(self, key):
        return os.path.join(self.root, *key.split("/"))

    def local_path(self, key):
        return self._path(key)

    def write_file(self, key, src_path):
        """Copies src_path to key atomically; returns (size, sha256)."""
        try:
            with open(src_path, "rb") as src:
                return atomic_write(self._path(key), lambda dst: copy_hashing(src, dst))
        except OSError as e:
            raise CheckpointError("cannot write %s: %s" % (self._path(key), e)) from None

    def move_file(self, key, src_path):
        """Moves src_path (a file on the store's file system) to key: hashes it, fsyncs it,
        renames it into place. Returns (size, sha256)."""
        dest = self._path(key)
        try:
            size, sha = hash_path(src_path)
            fd = os.open(src_path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            os.replace(src_path, dest)
            _fsync_dir(os.path.dirname(dest))
            return size, sha
        except OSError as e:
            raise CheckpointError("cannot write %s: %s" % (dest, e)) from None

    def scratch_dir(self):
        """A directory for temp files on the store's file system (a dot name: never a checkpoint)."""
        os.makedirs(self.root, exist_ok=True)
        return self.root

    def write_bytes(self, key, data):
        try:
            return atomic_write(self._path(key), lambda dst: (dst.write(data), (len(data), hashlib.sha256(data).hexdigest()))[1])
        except OSError as e:
            raise CheckpointError("cannot write %s: %s" % (self._path(key), e)) from None

    def read_text(self, key):
        """The key's content as text, or None when it does not exist."""
        try:
            with open(self._path(key), "rb") as f:
                return f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return None
        except OSError as e:
            raise CheckpointError("cannot read %s: %s" % (self._path(key), e)) from None

    def hash(self, key):
        """(size, sha256) of the key, or None when it does not exist."""
        path = self._path(key)
        if not os.path.isfile(path):
            return None
        try:
            return hash_path(path)
        except OSError as e:
            raise CheckpointError("cannot read %s: %s" % (path, e)) from None

    def delete(self, key):
        try:
            os.unlink(self._path(key))
        except FileNotFoundError:
            pass

    def names(self):
        """Names of the entries of the store root that have a MANIFEST.json."""
        try:
            entries = os.listdir(self.root)
        except FileNotFoundError:
            return []
        return sorted(n for n in entries if os.path.isfile(os.path.join(self.root, n, "MANIFEST.json")))

    def remove_tree(self, name):
        shutil.rmtree(self._path(name), ignore_errors=True)
