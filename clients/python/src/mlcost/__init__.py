"""mlcost: the Python client of the mlcost server (standard library only).

Module-level functions act on one default Client, created on first use from the environment
(`mlcost run` sets MLCOST_TRACKING_URI and MLCOST_RUN_ID) or by start_run():

    import mlcost
    with mlcost.start_run(experiment="resnet", name="lr-0.1"):   # not needed under `mlcost run`
        mlcost.log_param("lr", 0.1)
        for step in range(100):
            mlcost.log_metric("loss", loss, step=step)
            if mlcost.should_stop():
                break

Checkpoints: mlcost.checkpoint.save / latest / resume_path / list / verify.
Stage cache: mlcost.cache.memoize (decorator) and mlcost.cache.stage (context manager).
"""
import threading

from . import cache, checkpoint
from .client import Client
from .errors import ApiError, CheckpointError, MlcostError, ServerUnavailable

__version__ = "0.1.0"
__all__ = ["Client", "ApiError", "CheckpointError", "MlcostError", "ServerUnavailable", "cache", "checkpoint",
           "start_run", "end_run", "active_client", "log_metric", "log_metrics", "log_param", "log_params",
           "set_tag", "set_tags", "flush", "should_stop"]

_default = None
_default_lock = threading.Lock()


def active_client():
    """The default Client (created from the environment on first use)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Client()
        return _default


def start_run(experiment=None, name=None, tags=None, tracking_uri=None):
    """Creates a run on the server and makes it the default client's run (see Client.start_run).
    Under `mlcost run` the run already exists and is returned. Usable as a context manager."""
    global _default
    with _default_lock:
        if _default is None or (_default.run_id is None and tracking_uri):
            _default = Client(tracking_uri=tracking_uri)
        client = _default
    return client.start_run(experiment=experiment, name=name, tags=tags)


def end_run(status="FINISHED", timeout=None):
    """Flushes and ends the default client's run (see Client.end_run)."""
    active_client().end_run(status, timeout)


def log_metric(key, value, step=None, timestamp=None):
    active_client().log_metric(key, value, step=step, timestamp=timestamp)


def log_metrics(metrics, step=None, timestamp=None):
    active_client().log_metrics(metrics, step=step, timestamp=timestamp)


def log_param(key, value):
    active_client().log_param(key, value)


def log_params(params):
    active_client().log_params(params)


def set_tag(key, value):
    active_client().set_tag(key, value)


def set_tags(tags):
    active_client().set_tags(tags)


def flush(timeout=None):
    return active_client().flush(timeout)


def should_stop():
    return active_client().should_stop()
