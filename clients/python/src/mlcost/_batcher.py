"""Batches log items in memory and delivers them from one background thread, in order.

Every item gets a sequence number. Items live in memory (`_mem`) until delivered; when memory
holds `max_buffered` items, all of them are appended to the spool file (`Spool`), and newer items
collect in memory again, so the spool always holds older items than memory and delivery (spool
first, then memory, each front to back) keeps the order of the calls. `_acked` is the sequence
number below which everything was delivered (or refused by the server and reported).

The server keeps retried batches idempotent (identical metric points collapse, equal params are
accepted, tags are last-write-wins), so an item may be sent twice after a failure: delivery is
at least once and the result is exactly once.

Thread-safety: log(), flush() and close() may be called from any thread; log() never does I/O
except appending to the spool when memory is full.
"""
import json
import logging
import os
import threading
import time

from .errors import ApiError, MlcostError

log = logging.getLogger("mlcost")

MAX_METRICS = 1000
MAX_PARAMS = 100
MAX_TAGS = 100
MAX_ENTITIES = 1000
MAX_BODY_BYTES = 900_000  # under the server's 1,000,000-byte log-batch limit, with room for the envelope
FIRST_BACKOFF_S = 0.5
MAX_BACKOFF_S = 30.0
MAX_REPORTED_ERRORS = 100


def take_batch(items):
    """Returns the longest prefix of `items` ((seq, kind, payload) tuples) that one log-batch
    request may carry: MLflow's limits, no param or tag key twice. Always at least one item."""
    batch, counts, keys, size = [], {"m": 0, "p": 0, "t": 0}, {"p": set(), "t": set()}, 0
    limits = {"m": MAX_METRICS, "p": MAX_PARAMS, "t": MAX_TAGS}
    for item in items:
        _, kind, payload = item
        item_size = len(json.dumps(payload, allow_nan=True)) + 2
        if batch:
            if counts[kind] >= limits[kind] or len(batch) >= MAX_ENTITIES or size + item_size > MAX_BODY_BYTES:
                break
            if kind in keys and payload["key"] in keys[kind]:
                break
        batch.append(item)
        counts[kind] += 1
        if kind in keys:
            keys[kind].add(payload["key"])
        size += item_size
    return batch


class Batcher:
    """send(metrics, params, tags) performs one log-batch request (raises ServerUnavailable or
    ApiError); spool is a Spool (or None: memory only, no cap)."""

    def __init__(self, send, spool, max_buffered=100_000, flush_interval=1.0, name="mlcost-flush"):
        self._send = send
        self._spool = spool
        self._max_buffered = max(1, int(max_buffered))
        self._interval = flush_interval
        self._cv = threading.Condition()
        self._mem = []  # [(seq, kind, payload)], front = oldest; a list popped in slices
        self._next_seq = 0
        self._acked = 0
        self._cursor = 0  # spool byte offset up to which everything was delivered
        self._spool_broken = False
        self._flush_epoch = 0
        self._seen_epoch = 0
        self._drain_target = 0  # flush() and the timer ask for delivery of everything below this
        self._backoff = 0.0
        self._retry_at = 0.0
        self._last_send = time.monotonic()
        self._stopping = False
        self._errors = []
        self._dropped = 0
        self._outage_logged = False
        self._adopt_orphans()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    # --- caller side ------------------------------------------------------------------------
    def log(self, kind, payload):
        """Queues one item ("m" metric, "p" param, "t" tag). Never raises for server trouble."""
        with self._cv:
            self._mem.append((self._next_seq, kind, payload))
            self._next_seq += 1
            n = len(self._mem)
            if n >= self._max_buffered:
                self._spill_locked()
            if n % MAX_ENTITIES == 0 or n >= self._max_buffered:
                self._cv.notify_all()

    def pending(self):
        """Number of items not yet delivered."""
        with self._cv:
            return self._next_seq - self._acked

    def spool_path(self):
        return self._spool.path if self._spool is not None else None

    def flush(self, timeout=None):
        """Asks for immediate delivery of everything logged so far and waits up to `timeout`
        seconds (None: until delivered). Returns True when all of it was delivered. Raises
        ApiError-carrying MlcostError when the server refused items since the last report."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cv:
            target = self._next_seq
            self._drain_target = max(self._drain_target, target)
            self._flush_epoch += 1
            self._cv.notify_all()
            while self._acked < target and self._thread.is_alive():
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    break
                self._cv.wait(remaining if remaining is not None else 1.0)
            delivered = self._acked >= target
        self.raise_errors()
        return delivered

    def persist(self, timeout=2.0):
        """Makes everything logged so far survive this process: delivered within `timeout`
        seconds, else written (fsync'ed) to the spool file for the next client of this run.
        Returns True when nothing is left only in memory."""
        try:
            if self.flush(timeout):
                return True
        except MlcostError:
            pass  # refused items are reported by the next flush / close
        with self._cv:
            self._spill_locked()
            return not self._mem

    def raise_errors(self):
        with self._cv:
            errors, self._errors = self._errors, []
        if errors:
            first = errors[0][1]
            detail = "; ".join("%s %r: %s" % (kind, key, err.message) for (kind, key), err in errors[:5])
            raise MlcostError("the server refused %d logged item(s): %s" % (len(errors), detail)) from first

    def close(self, timeout=10.0):
        """Delivers what it can within `timeout`, stops the thread, and leaves anything still
        undelivered in the spool file for the next client of this run. Returns True when
        everything was delivered. Reports refused items like flush()."""
        try:
            delivered = self.flush(timeout)
        finally:
            with self._cv:
                self._stopping = True
                self._cv.notify_all()
            self._thread.join(timeout=1.0)
            with self._cv:
                left = self._next_seq - self._acked
                if left and self._mem:
                    self._spill_locked()
                if self._spool is not None:
                    if left == 0:
                        self._spool.truncate()
                    self._spool.close()
        if left:
            where = ("kept in %s for the next client of this run" % self._spool.path
                     if self._spool is not None and not self._mem else "lost (no spool file)")
            log.warning("mlcost: %d logged item(s) could not be delivered; %s", left, where)
        return delivered

    # --- spool -------------------------------------------------------------------------------
    def _adopt_orphans(self):
        if self._spool is None:
            return
        try:
            items, paths = self._spool.take_orphans()
            if items:
                seqs = [(self._next_seq + i, k, p) for i, (k, p) in enumerate(items)]
                self._spool.append(seqs)
                self._next_seq += len(seqs)
                log.info("mlcost: delivering %d item(s) left by an earlier client of this run", len(seqs))
            for path in paths:
                os.unlink(path)
        except OSError as e:
            log.warning("mlcost: could not adopt earlier spool files: %s", e)

    def _spill_locked(self):
        if self._spool is None or not self._mem:
            return
        if self._spool_broken and len(self._mem) % self._max_buffered != 0:
            self._bound_memory_locked()
            return
        try:
            self._spool.append(self._mem)
            self._mem = []
            self._spool_broken = False
        except OSError as e:
            if not self._spool_broken:
                log.warning("mlcost: cannot write spool file %s (%s); keeping items in memory",
                            self._spool.path, e)
            self._spool_broken = True
            self._bound_memory_locked()

    def _bound_memory_locked(self):
        hard_cap = 4 * self._max_buffered
        if len(self._mem) > hard_cap:
            drop = len(self._mem) - hard_cap
            self._mem = self._mem[drop:]
            self._dropped += drop
            log.warning("mlcost: spool unwritable and %d items buffered: dropped the %d oldest", hard_cap, drop)

    # --- sender thread ---------------------------------------------------------------------
    def _next_batch(self):
        """Returns (batch, new_cursor): from the spool while it has undelivered lines, else from
        memory (new_cursor None)."""
        with self._cv:
            cursor, end, acked = self._cursor, (self._spool.size if self._spool is not None else 0), self._acked
            mem = self._mem[:MAX_ENTITIES]
        if cursor < end:
            lines, pos = [], cursor
            for after, item in self._spool.read_lines(cursor, end):
                if item[0] < acked:
                    pos = after
                    continue
                lines.append((after, item))
                if len(lines) >= MAX_ENTITIES:
                    break
            batch = take_batch([item for _, item in lines])
            if batch:
                pos = lines[len(batch) - 1][0]
            return batch, pos
        return (take_batch(mem) if mem else []), None

    def _deliver(self, batch):
        """Sends a batch; on a 400/413 splits it to find the refused items. Returns the refused
        [(item, ApiError)]. ServerUnavailable propagates (retry the whole batch later)."""
        try:
            self._send([p for _, k, p in batch if k == "m"], [p for _, k, p in batch if k == "p"],
                       [p for _, k, p in batch if k == "t"])
            return []
        except ApiError as e:
            if len(batch) == 1 or e.status not in (400, 413):
                return [(item, e) for item in batch]
            mid = len(batch) // 2
            return self._deliver(batch[:mid]) + self._deliver(batch[mid:])

    def _ack(self, batch, cursor, refused):
        with self._cv:
            if batch:
                self._acked = max(self._acked, batch[-1][0] + 1)
            if cursor is not None:
                self._cursor = max(self._cursor, cursor)
            cut = 0
            while cut < len(self._mem) and self._mem[cut][0] < self._acked:
                cut += 1
            if cut:
                del self._mem[:cut]
            spool_size = self._spool.size if self._spool is not None else 0
            if self._cursor >= spool_size:
                # Nothing older than memory is left: everything below its first item was
                # delivered (or dropped when the spool was unwritable).
                self._acked = max(self._acked, self._mem[0][0] if self._mem else self._next_seq)
                if spool_size:
                    self._spool.truncate()
                    self._cursor = 0
            for (_, kind, payload), err in refused:
                if len(self._errors) < MAX_REPORTED_ERRORS:
                    self._errors.append(((kind, payload.get("key")), err))
            self._cv.notify_all()
        for (_, kind, payload), err in refused:
            log.warning("mlcost: server refused %s %r: %s", {"m": "metric", "p": "param", "t": "tag"}[kind],
                        payload.get("key"), err)

    def _due_locked(self, now):
        """(True, _) when the sender should send now, else (False, seconds to wait)."""
        if self._next_seq <= self._acked:
            return False, self._interval
        if self._flush_epoch != self._seen_epoch:  # a new flush() retries at once, even in backoff
            return True, 0
        if self._backoff and now < self._retry_at:
            return False, self._retry_at - now
        if self._acked < self._drain_target or len(self._mem) >= MAX_ENTITIES:
            return True, 0
        if self._spool is not None and self._cursor < self._spool.size:
            return True, 0
        if now - self._last_send >= self._interval:
            self._drain_target = self._next_seq
            return True, 0
        return False, self._interval - (now - self._last_send)

    def _run(self):
        while True:
            with self._cv:
                while True:
                    if self._stopping:
                        return
                    due, wait = self._due_locked(time.monotonic())
                    if due:
                        break
                    self._cv.wait(max(0.01, wait))
                self._seen_epoch = self._flush_epoch
            batch, cursor = self._next_batch()
            if not batch:
                if cursor is not None:
                    self._ack([], cursor, [])
                continue
            try:
                refused = self._deliver(batch)
            except Exception as e:  # noqa: BLE001 - the thread must survive anything
                if not self._outage_logged:
                    log.warning("mlcost: cannot deliver (%s); keeping %d item(s), retrying with backoff",
                                e, self.pending())
                    self._outage_logged = True
                self._backoff = min(MAX_BACKOFF_S, self._backoff * 2 if self._backoff else FIRST_BACKOFF_S)
                self._retry_at = time.monotonic() + self._backoff
                continue
            if self._outage_logged:
                log.warning("mlcost: server reachable again; delivering buffered items")
                self._outage_logged = False
            self._backoff = 0.0
            self._last_send = time.monotonic()
            self._ack(batch, cursor, refused)
