"""The client's on-disk overflow: an append-only JSON-lines file of items not yet delivered.

One file per live client, `<dir>/<run_id>.<pid>.<random>.jsonl`, held with an exclusive flock
while the client lives. A file of the same run whose lock can be taken belongs to a client that
died (or exited while the server was down): the next client of that run adopts it and delivers
it before anything it logs itself. Each line is `[seq, kind, payload]`. Not thread-safe: the
Batcher calls it under its lock (appends, truncation) or reads below a size it took under that
lock (read_lines), which appends never change.
"""
import fcntl
import glob
import json
import os
import uuid


class Spool:
    def __init__(self, directory, run_id):
        self.directory = directory
        self.run_id = run_id
        self.path = os.path.join(directory, "%s.%d.%s.jsonl" % (run_id, os.getpid(), uuid.uuid4().hex[:8]))
        self._f = None
        self.size = 0

    def _open(self):
        if self._f is None:
            os.makedirs(self.directory, exist_ok=True)
            f = open(self.path, "ab")
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            self._f = f
            self.size = f.seek(0, os.SEEK_END)

    def append(self, items):
        """Appends [(seq, kind, payload)] durably (write + fsync). Raises OSError on failure,
        leaving the file as it was."""
        self._open()
        data = b"".join(json.dumps([s, k, p], allow_nan=True).encode("utf-8") + b"\n" for s, k, p in items)
        before = self.size
        try:
            self._f.write(data)
            self._f.flush()
            os.fsync(self._f.fileno())
        except OSError:
            try:
                self._f.truncate(before)
            except OSError:
                pass
            raise
        self.size = before + len(data)

    def read_lines(self, offset, end, max_bytes=4 << 20):
        """Yields (offset_after_line, (seq, kind, payload)) for whole lines in [offset, end)."""
        if end <= offset:
            return
        with open(self.path, "rb") as f:
            f.seek(offset)
            chunk = f.read(min(end - offset, max_bytes))
        pos = offset
        for line in chunk.split(b"\n")[:-1]:  # the piece after the last "\n" is partial
            pos += len(line) + 1
            seq, kind, payload = json.loads(line.decode("utf-8"))
            yield pos, (seq, kind, payload)

    def truncate(self):
        """Empties the file once everything in it was delivered."""
        if self._f is not None:
            self._f.truncate(0)
            self._f.seek(0)
            self.size = 0

    def close(self):
        """Releases the lock; deletes the file when it holds nothing."""
        if self._f is None:
            return
        empty = self.size == 0
        if empty:
            try:
                os.unlink(self.path)
            except OSError:
                pass
        self._f.close()  # releases the flock
        self._f = None

    def take_orphans(self):
        """Returns the items of dead clients' spool files of this run (oldest file first) and
        the paths they came from; the caller deletes those paths once it re-spooled them."""
        items, paths = [], []
        candidates = sorted(glob.glob(os.path.join(glob.escape(self.directory), glob.escape(self.run_id) + ".*.jsonl")),
                            key=lambda p: (os.path.getmtime(p), p))
        for path in candidates:
            if path == self.path:
                continue
            try:
                f = open(path, "rb")
            except OSError:
                continue
            with f:
                try:
                    fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # a live client holds it
                for line in f.read().split(b"\n"):
                    if not line.strip():
                        continue
                    try:
                        _, kind, payload = json.loads(line.decode("utf-8"))
                    except ValueError:
                        continue  # a torn last line from a crash
                    items.append((kind, payload))
                paths.append(path)
        return items, paths
