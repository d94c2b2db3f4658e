"""Client: log metrics, params and tags into one run of an mlcost (or MLflow) server.

Writes are queued in memory and delivered by a background thread (see _batcher.py): a call
never waits for the network and never raises because the server is down or slow. Reads and run
lifecycle calls (start_run, end_run) are synchronous.
"""
import atexit
import logging
import math
import os
import threading
import time
import urllib.parse
import weakref

from . import _rest
from ._batcher import Batcher
from ._spool import Spool
from .errors import ApiError, MlcostError, ServerUnavailable

log = logging.getLogger("mlcost")

DEFAULT_TRACKING_URI = "http://127.0.0.1:8080"
SHOULD_STOP_CACHE_S = 1.0
SHOULD_STOP_TIMEOUT_S = 2.0
_live_clients = weakref.WeakSet()


def _env(*names):
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    return None


def _env_float(name, default):
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return float(default)


def _now_ms():
    return int(time.time() * 1000)


def _check_key(key, what):
    if not isinstance(key, str) or not key:
        raise TypeError("%s key must be a non-empty str, got %r" % (what, key))
    return key


def _metric_value(key, value):
    if isinstance(value, (bool, str, bytes)):
        raise TypeError("metric %r: value must be a number, got %s" % (key, type(value).__name__))
    try:
        return float(value)  # int, float, numpy scalars and 0-d tensors
    except (TypeError, ValueError):
        raise TypeError("metric %r: value must be a number, got %s" % (key, type(value).__name__)) from None


class Client:
    """A connection to one run.

    tracking_uri: the server URL; default $MLCOST_TRACKING_URI, else $MLFLOW_TRACKING_URI, else
    http://127.0.0.1:8080. run_id: default $MLCOST_RUN_ID, else $MLFLOW_RUN_ID (both set by
    `mlcost run`); without one, call start_run() before logging.

    Options (keyword; environment defaults in brackets): flush_interval seconds between
    deliveries [MLCOST_FLUSH_INTERVAL, 1.0]; max_buffered items kept in memory before they go to
    the spool file [MLCOST_MAX_BUFFERED, 100000]; spool_dir [MLCOST_SPOOL_DIR,
    ./.mlcost/spool]; exit_timeout seconds spent delivering at interpreter exit
    [MLCOST_EXIT_TIMEOUT, 10].

    Thread-safe. Every client is flushed and closed at interpreter exit (atexit).
    """

    def __init__(self, tracking_uri=None, run_id=None, *, flush_interval=None, max_buffered=None,
                 spool_dir=None, exit_timeout=None):
        uri = tracking_uri or _env("MLCOST_TRACKING_URI", "MLFLOW_TRACKING_URI") or DEFAULT_TRACKING_URI
        if not urllib.parse.urlsplit(uri).scheme.startswith("http"):
            raise MlcostError("tracking URI must be http(s)://HOST[:PORT], got %r" % uri)
        self.tracking_uri = uri.rstrip("/")
        self._flush_interval = flush_interval if flush_interval is not None else _env_float("MLCOST_FLUSH_INTERVAL", 1.0)
        self._max_buffered = int(max_buffered if max_buffered is not None
                                 else _env_float("MLCOST_MAX_BUFFERED", 100000))
        self._spool_dir = os.path.abspath(spool_dir or os.environ.get("MLCOST_SPOOL_DIR")
                                          or os.path.join(os.getcwd(), ".mlcost", "spool"))
        self._exit_timeout = exit_timeout if exit_timeout is not None else _env_float("MLCOST_EXIT_TIMEOUT", 10.0)
        self._lock = threading.Lock()
        self._batcher = None
        self._owns_run = False
        self._closed = False
        self._stop_cache = (0.0, False)
        self.should_stop_cache_s = SHOULD_STOP_CACHE_S  # how long should_stop() reuses an answer
        self.run_id = None
        run_id = run_id or _env("MLCOST_RUN_ID", "MLFLOW_RUN_ID")
        if run_id:
            self._attach(run_id)
        _live_clients.add(self)

    # --- run lifecycle -----------------------------------------------------------------------
    def _attach(self, run_id):
        self.run_id = run_id
        self._batcher = Batcher(self._send_batch, Spool(self._spool_dir, run_id), self._max_buffered,
                                self._flush_interval, name="mlcost-flush-%s" % run_id[:8])

    def _mlflow(self, method, path, body=None, params=None):
        return _rest.request_json(self.tracking_uri, method, "/api/2.0/mlflow/" + path, body=body, params=params)

    def _experiment_id(self, experiment):
        if experiment is None:
            return os.environ.get("MLFLOW_EXPERIMENT_ID") or "0"
        experiment = str(experiment)
        if experiment.isdigit():
            return experiment
        try:
            return self._mlflow("GET", "experiments/get-by-name", params={"experiment_name": experiment})[
                "experiment"]["experiment_id"]
        except ApiError as e:
            if e.error_code != "RESOURCE_DOES_NOT_EXIST":
                raise
        try:
            return self._mlflow("POST", "experiments/create", {"name": experiment})["experiment_id"]
        except ApiError as e:  # created by someone else meanwhile
            if e.error_code != "RESOURCE_ALREADY_EXISTS":
                raise
            return self._mlflow("GET", "experiments/get-by-name", params={"experiment_name": experiment})[
                "experiment"]["experiment_id"]

    def start_run(self, experiment=None, name=None, tags=None):
        """Creates a run (POST runs/create) and makes this client log into it; returns self, a
        context manager that ends the run FINISHED, or FAILED when the block raises.

        experiment: a name (created when missing) or an id; default $MLFLOW_EXPERIMENT_ID or
        "0". When the client already has a run (e.g. under `mlcost run`), no run is created:
        the existing one is used and name/tags are applied to it as tags.
        Raises ServerUnavailable / ApiError: a run cannot be created offline.
        """
        if self.run_id is not None:
            if name:
                self.set_tag("mlflow.runName", name)
            if tags:
                self.set_tags(tags)
            return self
        body = {"experiment_id": self._experiment_id(experiment), "start_time": _now_ms()}
        if name:
            body["run_name"] = name
        if tags:
            body["tags"] = [{"key": str(k), "value": str(v)} for k, v in tags.items()]
        run = self._mlflow("POST", "runs/create", body)["run"]
        with self._lock:
            self._owns_run = True
            self._attach(run["info"]["run_id"])
        return self

    def end_run(self, status="FINISHED", timeout=None):
        """Delivers everything logged (waiting up to `timeout`, default: until done) and, when
        this client created the run, sets its status (FINISHED, FAILED or KILLED) and end time.
        Under `mlcost run` the run is ended by `mlcost run` itself; end_run only flushes."""
        if status not in ("FINISHED", "FAILED", "KILLED"):
            raise ValueError("status must be FINISHED, FAILED or KILLED, got %r" % status)
        self._require_run()
        self.flush(timeout)
        if self._owns_run:
            self._mlflow("POST", "runs/update", {"run_id": self.run_id, "status": status, "end_time": _now_ms()})
            self._owns_run = False

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        """Ends the run (FINISHED, or FAILED when the block raised), delivering for up to
        exit_timeout. An unreachable server is only a warning (what was logged stays in the spool
        file); refused items raise MlcostError unless the block already raised."""
        if self.run_id is not None:
            try:
                self.end_run("FINISHED" if exc_type is None else "FAILED", timeout=self._exit_timeout)
            except ServerUnavailable as e:
                log.warning("mlcost: could not end run %s: %s", self.run_id, e)
            except MlcostError as e:
                if exc_type is None:
                    raise
                log.warning("mlcost: could not end run %s: %s", self.run_id, e)
        return False

    # --- writes (queued) ---------------------------------------------------------------------
    def _require_run(self):
        if self.run_id is None:
            raise MlcostError("no run: call start_run() or run the program under `mlcost run` "
                              "(which sets MLCOST_RUN_ID)")
        if self._closed:
            raise MlcostError("client is closed")
        return self._batcher

    def log_metric(self, key, value, step=None, timestamp=None):
        """Queues one metric point. step defaults to 0 and timestamp (ms since the epoch) to now,
        as MLflow. NaN and ±Inf are kept. Raises TypeError for a non-numeric value; never raises
        for server trouble."""
        batcher = self._require_run()
        _check_key(key, "metric")
        point = {"key": key, "value": _metric_value(key, value),
                 "timestamp": int(timestamp) if timestamp is not None else _now_ms(),
                 "step": int(step) if step is not None else 0}
        if not math.isfinite(point["value"]):
            point["value"] = "NaN" if math.isnan(point["value"]) else ("Infinity" if point["value"] > 0 else "-Infinity")
        batcher.log("m", point)

    def log_metrics(self, metrics, step=None, timestamp=None):
        """Queues several metric points sharing one step and timestamp."""
        timestamp = int(timestamp) if timestamp is not None else _now_ms()
        for key, value in metrics.items():
            self.log_metric(key, value, step=step, timestamp=timestamp)

    def log_param(self, key, value):
        """Queues one param (value stored as str; params are write-once on the server)."""
        self._require_run().log("p", {"key": _check_key(key, "param"), "value": str(value)})

    def log_params(self, params):
        for key, value in params.items():
            self.log_param(key, value)

    def set_tag(self, key, value):
        """Queues one run tag (value stored as str; last write wins)."""
        self._require_run().log("t", {"key": _check_key(key, "tag"), "value": str(value)})

    def set_tags(self, tags):
        for key, value in tags.items():
            self.set_tag(key, value)

    def _send_batch(self, metrics, params, tags):
        body = {"run_id": self.run_id}
        if metrics:
            body["metrics"] = metrics
        if params:
            body["params"] = params
        if tags:
            body["tags"] = tags
        self._mlflow("POST", "runs/log-batch", body)

    def pending(self):
        """Number of logged items not yet delivered."""
        return self._batcher.pending() if self._batcher is not None else 0

    def flush(self, timeout=None):
        """Delivers everything logged so far, waiting up to `timeout` seconds (None: until done).
        Returns True when all of it arrived. Raises MlcostError when the server refused logged
        items (bad key, param changed, ...) since the last report, with the server's message."""
        if self._batcher is None:
            return True
        return self._batcher.flush(timeout)

    def persist(self, timeout=2.0):
        """Makes everything logged so far durable: delivered within `timeout` seconds, else
        written to the spool file (./.mlcost/spool) that the next client of this run delivers.
        checkpoint.save calls it first, so a job killed after a checkpoint has lost none of the
        metrics it logged before it (the resumed job does not log them again)."""
        if self._batcher is None:
            return True
        return self._batcher.persist(timeout)

    def close(self, timeout=None):
        """flush(timeout) then stops the background thread; what could not be delivered stays in
        the spool file (./.mlcost/spool) and is delivered by the next client of the same run.
        Default timeout: exit_timeout. Raises like flush()."""
        with self._lock:
            if self._closed:
                return True
            self._closed = True
        if self._batcher is None:
            return True
        return self._batcher.close(self._exit_timeout if timeout is None else timeout)

    # --- reads -------------------------------------------------------------------------------
    def should_stop(self):
        """True when the server asks this run to stop early (GET /api/v1/runs/{id}/should-stop).

        Answers are cached for about a second, so calling it every step is cheap. A server that
        does not know the endpoint (404), is unreachable or answers oddly means False: training
        goes on. A failure is remembered for 10 s before the next attempt.
        """
        if self.run_id is None:
            return False
        now = time.monotonic()
        until, value = self._stop_cache
        if now < until:
            return value
        value, ttl = False, self.should_stop_cache_s
        try:
            answer = _rest.request_json(self.tracking_uri, "GET",
                                        "/api/v1/runs/%s/should-stop" % urllib.parse.quote(self.run_id, safe=""),
                                        timeout=SHOULD_STOP_TIMEOUT_S)
            value = answer.get("stop") is True
        except ApiError:
            pass
        except ServerUnavailable:
            ttl = max(ttl, 10.0)
        self._stop_cache = (time.monotonic() + ttl, value)
        return value


def _close_all_at_exit():
    for client in list(_live_clients):
        try:
            client.close()
        except Exception as e:  # noqa: BLE001 - exit must go on
            log.warning("mlcost: at exit: %s", e)


atexit.register(_close_all_at_exit)
