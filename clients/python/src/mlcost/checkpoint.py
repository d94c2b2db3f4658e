"""Checkpoints in the store layout of docs/checkpoints.md (shared with `mlcost checkpoint`).

    mlcost.checkpoint.save("model.pt", step=400, metrics={"val_loss": 0.25})
    mlcost.checkpoint.save(lambda p: torch.save(state, p), name="step-000400.pt", step=400)
    path = mlcost.checkpoint.resume_path()       # None on a first start

Where save() writes:
- under `mlcost run` (MLCOST_CHECKPOINT_DIR set) and no explicit store: the file goes atomically
  into that directory and `mlcost run` commits it into the run's store;
- otherwise into a store: `store=` (a path, file:// URI or s3://BUCKET/PREFIX), else
  $MLCOST_CHECKPOINT_STORE, else ./.mlcost/store/<run id> (the default of `mlcost run`), or
  ./.mlcost/store/local without a run. Data first, MANIFEST.json last.
"""
import os
import shutil
import sys
import tempfile
import warnings

from . import _layout
from ._local_store import LocalStore, atomic_write, atomic_write_path, copy_hashing
from ._s3_store import S3Store
from .errors import CheckpointError

__all__ = ["Checkpoint", "CheckpointWarning", "save", "latest", "resume_path", "list", "verify", "open_store"]


class CheckpointWarning(UserWarning):
    """Issued (on stderr by default) for each invalid checkpoint that latest() skips."""


class Checkpoint:
    """One checkpoint: name, step (int or None), metrics (dict), created_at (ISO string), files
    ([{"path", "size", "sha256"}]), store (the store URI, None for a file handed to `mlcost
    run`), path (local path of the single file, or of the data directory; None on S3 until
    fetched)."""

    def __init__(self, name, step, metrics, created_at, files, store, path):
        self.name, self.step, self.metrics, self.created_at = name, step, metrics, created_at
        self.files, self.store, self.path = files, store, path

    @classmethod
    def _from_manifest(cls, doc, store):
        path = None
        root = store.local_path(_layout.data_key(doc["name"], ""))
        if root is not None:
            files = doc["files"]
            path = os.path.join(root, *files[0]["path"].split("/")) if len(files) == 1 else root.rstrip("/")
        return cls(doc["name"], doc["step"], doc["metrics"], doc["created_at"], doc["files"], store.uri, path)

    def __repr__(self):
        return "Checkpoint(name=%r, step=%r, created_at=%r, store=%r)" % (self.name, self.step, self.created_at,
                                                                         self.store)


class VerifyResult:
    """verify()'s answer for one checkpoint: name, valid (bool), problems (list of str)."""

    def __init__(self, name, problems):
        self.name, self.problems, self.valid = name, problems, not problems

    def __repr__(self):
        return "VerifyResult(name=%r, valid=%r, problems=%r)" % (self.name, self.valid, self.problems)


def default_store_uri():
    uri = os.environ.get("MLCOST_CHECKPOINT_STORE")
    if uri:
        return uri
    run_id = os.environ.get("MLCOST_RUN_ID") or os.environ.get("MLFLOW_RUN_ID") or "local"
    return os.path.join(os.getcwd(), ".mlcost", "store", run_id)


def open_store(store=None):
    """A store object for a URI (or an existing store object); see the module docstring."""
    if store is not None and not isinstance(store, (str, os.PathLike)):
        return store
    uri = os.fspath(store) if store is not None else default_store_uri()
    if uri.startswith("s3://"):
        return S3Store(uri)
    if uri.startswith("file://"):
        return LocalStore(uri[len("file://"):], uri)
    if "://" in uri:
        raise CheckpointError("unsupported checkpoint store %r (a path, file:// or s3://)" % uri)
    return LocalStore(uri)


# --- save ------------------------------------------------------------------------------------
def _default_name(step, suffix):
    if step is not None:
        return "step-%06d%s" % (step, suffix)
    return "checkpoint-%s%s" % (_layout.now_iso().replace(":", "").replace("-", "")[:15], suffix)


def _persist_logged():
    """Everything this process logged before the checkpoint is made durable first (see
    Client.persist): a job resumed from this checkpoint will not log those values again."""
    from . import client as _client
    for live in tuple(_client._live_clients):
        try:
            live.persist()
        except Exception as e:  # noqa: BLE001 - a checkpoint must not fail over metrics
            print("mlcost: warning: could not persist logged metrics before the checkpoint: %s" % e, file=sys.stderr)


def _save_for_agent(src, name, step, directory):
    """Writes the checkpoint file into $MLCOST_CHECKPOINT_DIR atomically; `mlcost run` commits it.
    What was logged before is made durable first."""
    _persist_logged()
    if isinstance(src, (str, os.PathLike)) and os.path.isdir(src):
        raise CheckpointError("under `mlcost run` a checkpoint is one file; %s is a directory "
                              "(pass store=... to save a directory)" % os.fspath(src))
    if name is None:
        name = os.path.basename(os.fspath(src)) if isinstance(src, (str, os.PathLike)) else _default_name(step, ".ckpt")
    name = _layout.sanitize_name(name)
    if step is not None and _layout.step_from_name(name) != step:
        print("mlcost: warning: under `mlcost run` the step of checkpoint %r is read from its file name "
              "(the first digits); name it e.g. %r to record step %d" % (name, _default_name(step, ".ckpt"), step),
              file=sys.stderr)
    dest = os.path.join(directory, name)
    try:
        if callable(src):
            atomic_write_path(dest, src)
        elif isinstance(src, (bytes, bytearray, memoryview)):
            atomic_write(dest, lambda f: f.write(src))
        else:
            with open(src, "rb") as fin:
                atomic_write(dest, lambda f: copy_hashing(fin, f))
    except OSError as e:
        raise CheckpointError("cannot write checkpoint %s: %s" % (dest, e)) from None
    size = os.path.getsize(dest)
    return Checkpoint(name, step, {}, _layout.now_iso(), [{"path": name, "size": size, "sha256": None}], None, dest)


def _gather_files(src, name):
    """[(relpath, local_path)] of a file or a directory tree."""
    root = os.fspath(src)
    if os.path.isfile(root):
        return [(os.path.basename(root), root)]
    if not os.path.isdir(root):
        raise CheckpointError("checkpoint source %s does not exist" % root)
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for fn in sorted(filenames):
            full = os.path.join(dirpath, fn)
            files.append((os.path.relpath(full, root).replace(os.sep, "/"), full))
    if not files:
        raise CheckpointError("checkpoint source directory %s holds no files" % root)
    return files


def save(src, name=None, step=None, metrics=None, store=None, filename=None):
    """Saves a checkpoint and returns its Checkpoint.

    src: a file or directory path, bytes, or a callable taking a path and writing the
    checkpoint there (e.g. `lambda p: torch.save(state, p)`; mlcost never imports torch).
    name: the checkpoint name (1-200 of [A-Za-z0-9._-], not starting with "."); default the
    file's name, else "step-000400" from step, else a UTC timestamp. filename: the file name
    inside the checkpoint for bytes / callables (default: the name). step: int or None;
    metrics: {name: number}. Under `mlcost run` without store= the file is handed to `mlcost
    run` (step from the file name; metrics are not recorded). Raises CheckpointError on I/O or
    S3 errors, ValueError for a bad name.
    """
    if step is not None and (isinstance(step, bool) or not isinstance(step, int)):
        raise TypeError("step must be an int or None, got %r" % (step,))
    agent_dir = os.environ.get("MLCOST_CHECKPOINT_DIR")
    if store is None and agent_dir:
        return _save_for_agent(src, name, step, agent_dir)
    _persist_logged()
    target = open_store(store)
    is_path = isinstance(src, (str, os.PathLike))
    if name is None:
        name = os.path.basename(os.fspath(src).rstrip("/")) if is_path else _default_name(step, "")
    if not _layout.valid_name(name):
        raise ValueError("checkpoint name %r: use 1-200 characters of [A-Za-z0-9._-], not starting with '.'" % name)
    manifest_key = _layout.manifest_key(name)
    target.delete(manifest_key)  # overwriting: invisible until the new manifest lands
    entries = []
    local_store = isinstance(target, LocalStore)
    scratch = target.scratch_dir() if local_store else None  # the callable writes where the data goes
    with tempfile.TemporaryDirectory(prefix=".mlcost-tmp-", dir=scratch) as tmp:
        if callable(src):
            local = os.path.join(tmp, filename or name)
            try:
                src(local)
            except OSError as e:
                raise CheckpointError("checkpoint %r: the save function failed: %s" % (name, e)) from None
            sources = [(filename or name, local)] if os.path.isfile(local) else _gather_files(local, name)
            if local_store:
                for rel, path in sources:
                    size, sha = target.move_file(_layout.data_key(name, rel), path)
                    entries.append({"path": rel, "size": size, "sha256": sha})
                sources = []
        elif isinstance(src, (bytes, bytearray, memoryview)):
            sources = None
            size, sha = target.write_bytes(_layout.data_key(name, filename or name), bytes(src))
            entries.append({"path": filename or name, "size": size, "sha256": sha})
        else:
            sources = _gather_files(src, name)
        for rel, local in sources or []:
            size, sha = target.write_file(_layout.data_key(name, rel), local)
            entries.append({"path": rel, "size": size, "sha256": sha})
    text = _layout.build_manifest(name, step, metrics, entries)
    target.write_bytes(manifest_key, text.encode("utf-8"))
    return Checkpoint._from_manifest(_layout.parse_manifest(text, name), target)


# --- read ------------------------------------------------------------------------------------
def _manifests(target):
    """[(doc or None, name, problem)] for every checkpoint with a manifest."""
    out = []
    for name in target.names():
        text = target.read_text(_layout.manifest_key(name))
        if text is None:
            continue  # deleted meanwhile
        try:
            out.append((_layout.parse_manifest(text, name), name, None))
        except ValueError as e:
            out.append((None, name, str(e)))
    return out


def _check_files(target, doc, fetch_dir=None):
    """Problems of a checkpoint's files (empty list = valid). With fetch_dir (S3) the files are
    downloaded there while being checked."""
    problems = []
    for f in doc["files"]:
        key = _layout.data_key(doc["name"], f["path"])
        if fetch_dir is not None:
            got = target.fetch(key, os.path.join(fetch_dir, *f["path"].split("/")))
        else:
            got = target.hash(key)
        if got is None:
            problems.append("file %s is missing" % f["path"])
        elif got[0] != f["size"]:
            problems.append("file %s has %d bytes, manifest says %d" % (f["path"], got[0], f["size"]))
        elif got[1] != f["sha256"]:
            problems.append("file %s sha256 %s does not match the manifest's %s" % (f["path"], got[1], f["sha256"]))
    return problems


def _warn(name, problem):
    warnings.warn("mlcost: skipping invalid checkpoint %r: %s" % (name, problem), CheckpointWarning, stacklevel=3)


def _newest_valid(target, fetch_root=None):
    found = _manifests(target)
    for doc, name, problem in found:
        if doc is None:
            _warn(name, problem)
    docs = sorted((d for d, _, _ in found if d is not None), key=_layout.order_key, reverse=True)
    for doc in docs:
        fetch_dir = os.path.join(fetch_root, doc["name"]) if fetch_root else None
        problems = _check_files(target, doc, fetch_dir)
        if not problems:
            ckpt = Checkpoint._from_manifest(doc, target)
            if fetch_dir:
                files = doc["files"]
                ckpt.path = os.path.join(fetch_dir, *files[0]["path"].split("/")) if len(files) == 1 else fetch_dir
            return ckpt
        _warn(doc["name"], "; ".join(problems))
        if fetch_dir:
            shutil.rmtree(fetch_dir, ignore_errors=True)
    return None


def latest(store=None):
    """The newest valid checkpoint (by created_at, then step, then name), or None. Invalid ones
    (missing file, wrong size or sha256, bad manifest) are skipped with a CheckpointWarning.
    On S3 each file is read once to check its sha256."""
    return _newest_valid(open_store(store))


def resume_path(store=None, fetch_dir=None):
    """Where to resume from: $MLCOST_RESUME_FROM when set (what `mlcost run` gives a restarted
    job), else the newest valid checkpoint's local path (its file when it has one, else its data
    directory): in place for a local store, downloaded (and checked) into fetch_dir (default
    ./.mlcost/resume) for S3. None when there is nothing to resume from."""
    env = os.environ.get("MLCOST_RESUME_FROM")
    if env:
        return env
    target = open_store(store)
    if isinstance(target, LocalStore):
        ckpt = _newest_valid(target)
    else:
        root = os.path.abspath(fetch_dir or os.path.join(os.getcwd(), ".mlcost", "resume"))
        ckpt = _newest_valid(target, fetch_root=root)
    return ckpt.path if ckpt is not None else None


def list(store=None):  # noqa: A001 - the documented name
    """Every checkpoint with a parseable manifest, oldest first (files are not checked; see
    verify). Checkpoints whose manifest is broken are left out with a CheckpointWarning."""
    target = open_store(store)
    docs = []
    for doc, name, problem in _manifests(target):
        if doc is None:
            _warn(name, problem)
        else:
            docs.append(doc)
    return [Checkpoint._from_manifest(d, target) for d in sorted(docs, key=_layout.order_key)]


def verify(store=None):
    """Checks every checkpoint fully (manifest, each file's size and sha256); returns
    [VerifyResult] oldest first, broken manifests last. Issues no warnings."""
    target = open_store(store)
    results, broken = [], []
    found = _manifests(target)
    for doc, name, problem in found:
        if doc is None:
            broken.append(VerifyResult(name, [problem]))
    for doc in sorted((d for d, _, _ in found if d is not None), key=_layout.order_key):
        results.append(VerifyResult(doc["name"], _check_files(target, doc)))
    return results + broken

