"""The stage cache from Python: skip work whose inputs did not change (docs/cache.md, "Python").

Same cache directory, layout, locking and entry format as `mlcost cache run`, so `mlcost cache
ls|gc|verify|push|pull` see and manage what Python stored:

    import mlcost.cache

    @mlcost.cache.memoize(deps=["data/train.csv"])
    def featurize(path, n_bins=32):
        ...                      # the return value is pickled and stored
        return table

    with mlcost.cache.stage("tokenize", deps=["raw/"], outs=["tok/"], params={"vocab": 32000}) as st:
        if not st.hit:           # on a hit the outputs are already restored
            tokenize("raw/", "tok/")

The key is SHA-256 over a canonical JSON description: the cache format version, the function's
module, qualified name and source (the `with` block: the source of the function around it, or of
the module at top level), the arguments (pickled, protocol 4) or params, the content of every
declared dependency (files and folders, the same digests as the C++ side), declared outputs and an
allow-list of environment variables. Only the declared function's own source is keyed: helpers it
calls are not (declare their files as deps). Standard library only.
"""
import fcntl
import functools
import hashlib
import inspect
import json
import os
import pickle
import socket
import time
import warnings

from ._local_store import copy_hashing, hash_path
from .errors import MlcostError

FORMAT = "mlcost-stagecache/1"
DEFAULT_ENV = ("LANG", "LC_ALL", "PYTHONHASHSEED", "TZ")
_RESULT_PATH = "__mlcost_result__.pickle"


class CacheError(MlcostError):
    """Bad input for the stage cache (a missing dependency, an output path outside the working
    directory, an output the block did not create)."""


def resolve_cache_dir(explicit=None):
    """`explicit`, else $MLCOST_CACHE_DIR, else ~/.cache/mlcost (as `mlcost cache --cache-dir`)."""
    return explicit or os.environ.get("MLCOST_CACHE_DIR") or os.path.join(os.path.expanduser("~"), ".cache", "mlcost")


def _check_relative(path, what):
    if not path or path.startswith("/") or "\0" in path:
        raise CacheError("%s %r must be a relative path" % (what, path))
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise CacheError("%s %r must not contain '..'" % (what, path))
    if not parts:
        raise CacheError("%s %r names the working directory itself" % (what, path))
    return "/".join(parts)


def _sha256_file(path):
    """(sha256, size) of a file, read in chunks."""
    size, sha = hash_path(path)
    return sha, size


def _dep_digest(path):
    """(type, sha256) of a file or folder; folders as 'mlcost-tree/1' (docs/cache.md)."""
    norm = os.path.normpath(path)
    if os.path.isfile(norm):
        return "file", _sha256_file(norm)[0]
    if not os.path.isdir(norm):
        raise CacheError("dependency %r does not exist" % path)
    rows = []
    for root, _dirs, files in os.walk(norm):
        for name in files:
            full = os.path.join(root, name)
            if os.path.isfile(full):
                rows.append((os.path.relpath(full, norm).replace(os.sep, "/").encode(), full))
    rows.sort()
    tree = hashlib.sha256(b"mlcost-tree/1\n")
    for rel, full in rows:
        sha, size = _sha256_file(full)
        tree.update(rel + b"\0" + str(size).encode() + b"\0" + sha.encode() + b"\n")
    return "dir", tree.hexdigest()


def _describe(kind, name, source, args_sha256, deps, params, outs, env):
    d = {
        "format": FORMAT,
        "kind": kind,
        "function": name,
        "source_sha256": hashlib.sha256(source.encode()).hexdigest(),
        "args_sha256": args_sha256,
        "deps": sorted(({"path": os.path.normpath(p), "type": t, "sha256": s}
                        for p, (t, s) in ((p, _dep_digest(p)) for p in deps)), key=lambda x: x["path"]),
        "params": {str(k): str(v) for k, v in (params or {}).items()},
        "outs": sorted(outs),
        "env": {n: os.environ.get(n) for n in sorted(set(DEFAULT_ENV) | set(env or ()))},
    }
    # Compact, keys sorted, UTF-8: the same canonical form as the C++ KeyBuilder.
    text = json.dumps(d, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text, hashlib.sha256(text.encode()).hexdigest()


def _iso_now():
    t = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%06dZ" % int((t % 1) * 1e6)


class _Cache:
    """One cache directory (layout in docs/cache.md)."""

    def __init__(self, root):
        self.root = root

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def blob(self, sha):
        return self.path("blobs", sha[:2], sha)

    def entry_path(self, key):
        return self.path("entries", key[:2], key + ".json")

    def create(self):
        for d in ("blobs", "entries", "locks", "tmp"):
            os.makedirs(self.path(d), exist_ok=True)
        version = self.path("VERSION")
        if os.path.exists(version):
            with open(version) as f:
                found = f.read().strip()
            if found != FORMAT:
                raise CacheError("cache directory %r holds format %r, this client reads %r" % (self.root, found, FORMAT))
        else:
            self._write_atomic(version, (FORMAT + "\n").encode())

    def _temp(self, tag):
        return self.path("tmp", "%s.%d.%d.tmp" % (tag, os.getpid(), time.monotonic_ns()))

    def _write_atomic(self, dest, data, mode=0o644):
        self._publish_temp(dest, mode, lambda f: f.write(data))

    def _publish_temp(self, dest, mode, fill):
        """Creates a temp file with `mode`, `fill(file)` writes it; fsync, then rename to `dest`
        (dest None: fill returns it, computed while writing) and fsync its directory. Returns dest,
        or None when fill returned None for dest (the temp is removed: nothing to publish)."""
        tmp = self._temp("w")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        try:
            with os.fdopen(fd, "wb") as f:
                named = fill(f)
                f.flush()
                os.fsync(f.fileno())
            dest = dest or named
            if dest is None:
                os.unlink(tmp)
                return None
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            os.replace(tmp, dest)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        dfd = os.open(os.path.dirname(dest), os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
        return dest

    def _has_blob(self, sha, size):
        return os.path.exists(self.blob(sha)) and os.path.getsize(self.blob(sha)) == size

    def put_blob(self, data_or_path):
        """Stores bytes or a file's content; returns (sha256, size). A file is copied and hashed in
        one pass of 1 MiB pieces, so a large output is never held in memory."""
        if isinstance(data_or_path, (bytes, bytearray)):
            data = bytes(data_or_path)
            sha = hashlib.sha256(data).hexdigest()
            if not self._has_blob(sha, len(data)):
                self._write_atomic(self.blob(sha), data, 0o444)
            return sha, len(data)
        digest = {}

        def copy(out):
            with open(data_or_path, "rb") as src:
                digest["size"], digest["sha"] = copy_hashing(src, out)
            return None if self._has_blob(digest["sha"], digest["size"]) else self.blob(digest["sha"])

        self._publish_temp(None, 0o444, copy)
        return digest["sha"], digest["size"]

    def read_blob(self, sha, size):
        """The blob's bytes, or None when it is missing or does not hash to `sha`."""
        try:
            with open(self.blob(sha), "rb") as f:
                data = f.read()
        except OSError:
            return None
        if len(data) != size or hashlib.sha256(data).hexdigest() != sha:
            return None
        return data

    def load(self, key):
        """The valid entry for `key` or None; a corrupted entry or one missing blobs is removed."""
        path = self.entry_path(key)
        try:
            with open(path, "rb") as f:
                raw = f.read()
        except FileNotFoundError:
            return None
        try:
            e = json.loads(raw)
            ok = (e["format"] == FORMAT and e["key"] == key
                  and hashlib.sha256(e["description"].encode()).hexdigest() == key
                  and all(os.path.getsize(self.blob(o["sha256"])) == o["size"] for o in e["outputs"]))
        except (ValueError, KeyError, TypeError, OSError):
            ok = False
        if not ok:
            self.remove(key)
            return None
        return e

    def remove(self, key):
        try:
            os.unlink(self.entry_path(key))
        except FileNotFoundError:
            pass

    def publish(self, key, description, label, outputs, run_seconds):
        entry = {"format": FORMAT, "key": key, "description": description, "label": label,
                 "created_at": _iso_now(), "run_seconds": run_seconds, "outputs": outputs}
        self._write_atomic(self.entry_path(key), (json.dumps(entry, indent=1) + "\n").encode())
        self.record(key)

    def record(self, key):
        line = ("%d %s\n" % (time.time_ns() // 1000, key)).encode()
        fd = os.open(self.path("access.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)

    def lock(self, name, exclusive=True):
        """flock on locks/NAME (the C++ FileLock protocol: re-checked inode, holder line)."""
        path = self.path("locks", name)
        while True:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            try:
                same = os.fstat(fd).st_ino == os.stat(path).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                os.close(fd)
                continue
            if exclusive:
                os.ftruncate(fd, 0)
                os.pwrite(fd, ("%d %s %d\n" % (os.getpid(), socket.gethostname(), int(time.time()))).encode(), 0)
            return fd


class _Stage:
    """What `stage()` yields: `hit` (outputs restored, skip the work) and `key`."""

    def __init__(self, key):
        self.key = key
        self.hit = False


class stage:  # noqa: N801 (a context manager used like a function)
    """A cached block with file outputs. On a hit the outputs are restored (copied) before the
    block runs and `st.hit` is True; on a miss the block does the work and, when it exits without
    an exception, every declared output must exist and is stored. An input that changes while the
    block runs is not cached. The key covers `name`, `params`, the content of `deps`, `outs`, the
    source of the function around the `with` (or of the module at top level) and the
    environment allow-list."""

    def __init__(self, name, deps=(), outs=(), params=None, cache_dir=None, env=()):
        if not outs:
            raise CacheError("stage %r needs at least one output (outs=...)" % name)
        self.name = name
        self.deps = list(deps)
        self.outs = [_check_relative(o, "output") for o in outs]
        self.params = params or {}
        self.env = env
        self.cache = _Cache(resolve_cache_dir(cache_dir))
        self._lock = None
        self._disabled = False

    def __enter__(self):
        frame = inspect.currentframe().f_back
        try:
            source = inspect.getsource(frame.f_code) if frame.f_code.co_name != "<module>" else inspect.getsource(
                inspect.getmodule(frame))
        except (OSError, TypeError):
            source = frame.f_code.co_filename + ":" + frame.f_code.co_name
        self._before = _stat_deps(self.deps)
        self._desc, key = _describe("python-stage", self.name, source, "", self.deps, self.params, self.outs, self.env)
        self.st = _Stage(key)
        try:
            self.cache.create()
        except OSError as e:  # read-only, full, no permission: the block still runs, uncached
            warnings.warn("mlcost cache disabled: the cache directory cannot be written (%s)" % e)
            self._disabled = True
            return self.st
        if self._restore(key):
            return self.st
        self._lock = self.cache.lock(key + ".lock")
        if self._restore(key):  # another process computed it while we waited
            os.close(self._lock)
            self._lock = None
            return self.st
        self._start = time.monotonic()
        return self.st

    def _restore(self, key):
        e = self.cache.load(key)
        if e is None:
            return False
        datas = []
        for o in e["outputs"]:  # every blob checked before any output is touched
            data = self.cache.read_blob(o["sha256"], o["size"])
            if data is None:  # corrupted: drop the entry, compute again
                self.cache.remove(key)
                return False
            datas.append(data)
        for o, data in zip(e["outputs"], datas):
            os.makedirs(os.path.dirname(o["path"]) or ".", exist_ok=True)
            tmp = "%s.mlcost-tmp-%d" % (o["path"], os.getpid())
            with open(tmp, "wb") as f:
                f.write(data)
            os.chmod(tmp, 0o755 if o.get("executable") else 0o644)
            os.replace(tmp, o["path"])
        self.cache.record(key)
        self.st.hit = True
        return True

    def __exit__(self, exc_type, exc, tb):
        if self.st.hit or self._disabled:
            return False
        try:
            if exc_type is not None:
                return False
            files = []
            for out in self.outs:
                if os.path.isfile(out):
                    files.append(out)
                elif os.path.isdir(out):
                    for root, _d, names in os.walk(out):
                        files += [os.path.join(root, n).replace(os.sep, "/") for n in names]
                else:
                    raise CacheError("output %r was not created; nothing cached" % out)
            if _stat_deps(self.deps) != self._before:
                return False  # an input changed while the block ran: not cached
            gc = self.cache.lock("gc.lock", exclusive=False)
            try:
                outputs = []
                for p in sorted(files):
                    sha, size = self.cache.put_blob(p)
                    outputs.append({"path": os.path.normpath(p).replace(os.sep, "/"), "sha256": sha, "size": size,
                                    "executable": bool(os.stat(p).st_mode & 0o100)})
                self.cache.publish(self.st.key, self._desc, "python:" + self.name, outputs,
                                   time.monotonic() - self._start)
            finally:
                os.close(gc)
        finally:
            if self._lock is not None:
                os.close(self._lock)
                self._lock = None
        return False


def _stat_deps(deps):
    out = []
    for d in deps:
        paths = [d]
        if os.path.isdir(d):
            paths = sorted(os.path.join(r, n) for r, _s, ns in os.walk(d) for n in ns)
        for p in paths:
            try:
                st = os.stat(p)
            except FileNotFoundError:
                raise CacheError("dependency %r does not exist" % p) from None
            out.append((p, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    return out


def memoize(deps=(), cache_dir=None, env=(), ignore=()):
    """Decorator: caches the function's return value (pickled) by its source, its arguments
    (pickled; names in `ignore` excluded) and the content of `deps`. Concurrent callers with the
    same key: one computes, the others wait and reuse. Exceptions are not cached. The wrapped
    function has `.key(*args, **kwargs)` (the key a call would use) and `.last_hit` (whether the
    latest call in this process was a hit)."""

    def wrap(fn):
        try:
            source = inspect.getsource(fn)
        except (OSError, TypeError):
            source = fn.__code__.co_code.hex()
        name = "%s.%s" % (fn.__module__, fn.__qualname__)
        sig = inspect.signature(fn)

        def describe(args, kwargs):
            bound = sig.bind(*args, **kwargs)
            bound.apply_defaults()
            kept = sorted((k, v) for k, v in bound.arguments.items() if k not in ignore)
            args_sha = hashlib.sha256(pickle.dumps(kept, protocol=4)).hexdigest()
            return _describe("python-function", name, source, args_sha, deps, {}, [_RESULT_PATH], env)

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            cache = _Cache(resolve_cache_dir(cache_dir))
            before = _stat_deps(deps)
            desc, key = describe(args, kwargs)
            try:
                cache.create()
            except OSError as e:  # read-only, full, no permission: the work still runs (docs/cache.md)
                warnings.warn("mlcost cache disabled: the cache directory cannot be written (%s)" % e)
                wrapper.last_hit = False
                return fn(*args, **kwargs)

            def lookup():
                e = cache.load(key)
                if e is None:
                    return False, None
                o = e["outputs"][0]
                data = cache.read_blob(o["sha256"], o["size"])
                if data is None:
                    cache.remove(key)
                    return False, None
                cache.record(key)
                return True, pickle.loads(data)

            hit, value = lookup()
            if not hit:
                lock = cache.lock(key + ".lock")
                try:
                    hit, value = lookup()
                    if not hit:
                        start = time.monotonic()
                        value = fn(*args, **kwargs)
                        if _stat_deps(deps) == before:
                            data = pickle.dumps(value, protocol=4)
                            gc = cache.lock("gc.lock", exclusive=False)
                            try:
                                sha, size = cache.put_blob(data)
                                cache.publish(key, desc, "python:" + name,
                                              [{"path": _RESULT_PATH, "sha256": sha, "size": size,
                                                "executable": False}], time.monotonic() - start)
                            finally:
                                os.close(gc)
                finally:
                    os.close(lock)
            wrapper.last_hit = hit
            return value

        wrapper.key = lambda *a, **k: describe(a, k)[1]
        wrapper.last_hit = None
        return wrapper

    return wrap

