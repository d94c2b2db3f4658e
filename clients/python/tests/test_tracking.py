"""Metrics, params and tags logged with the client arrive on the real server, batched, in order."""
import json
import math

import pytest

import mlcost
from conftest import create_run, metric_history, unique


def get_run(srv, run_id):
    r = srv.mlflow_get("runs/get", {"run_id": run_id})
    assert r.status_code == 200, r.text
    return r.json()["run"]


def test_logged_data_arrives_in_order(server, proxy_factory):
    proxy = proxy_factory(server.url)
    client = mlcost.Client(tracking_uri=proxy.url)
    client.start_run(experiment=unique("exp"), name="ordered")
    logged = []
    for i in range(2500):
        value = i / 7.0
        client.log_metric("loss", value, step=i)
        logged.append((i, value))
        if i % 20 == 0:
            client.log_param("p%03d" % (i // 20), "v%d" % i)
        if i in (10, 1500, 2400):
            client.set_tag("phase", "phase-at-%d" % i)
    client.set_tags({"a": 1, "b": "two"})
    client.end_run()

    history = metric_history(server, client.run_id, "loss")
    assert sorted((p["step"], p["value"]) for p in history) == logged
    run = get_run(server, client.run_id)
    assert run["info"]["status"] == "FINISHED"
    params = {p["key"]: p["value"] for p in run["data"]["params"]}
    assert params == {"p%03d" % (i // 20): "v%d" % i for i in range(0, 2500, 20)}
    tags = {t["key"]: t["value"] for t in run["data"]["tags"]}
    assert tags["phase"] == "phase-at-2400"  # last write wins: only true if sent in order
    assert tags["a"] == "1" and tags["b"] == "two"
    assert tags["mlflow.runName"] == "ordered"
    # On the wire: the metric points went out exactly once each, in the order they were logged.
    assert [(m["step"], m["value"]) for m in proxy.delivered("metrics")] == logged
    assert [t["value"] for t in proxy.delivered("tags") if t["key"] == "phase"] == [
        "phase-at-10", "phase-at-1500", "phase-at-2400"]


def test_batching_respects_mlflow_limits_and_really_batches(server, proxy_factory):
    proxy = proxy_factory(server.url)
    run = create_run(server)
    client = mlcost.Client(tracking_uri=proxy.url, run_id=run["info"]["run_id"], flush_interval=3600)
    for i in range(2500):
        client.log_metric("m", i, step=i)
    assert client.flush(timeout=60)
    batches = proxy.delivered_batches()
    # 2500 points in requests of at most 1000: three requests, not 2500.
    assert [len(b.get("metrics", [])) for b in batches] == [1000, 1000, 500]

    for i in range(250):
        client.log_param("param%d" % i, i)
    for i in range(130):
        client.set_tag("tag%d" % i, i)
    assert client.flush(timeout=60)
    later = proxy.delivered_batches()[3:]
    # A request is the longest prefix of the queue within 100 params and 100 tags.
    assert [(len(b.get("params", [])), len(b.get("tags", []))) for b in later] == [(100, 0), (100, 0), (50, 100),
                                                                                   (0, 30)]
    client.close()
    assert len(metric_history(server, run["info"]["run_id"], "m")) == 2500


def test_module_level_api_and_context_manager(server):
    with mlcost.start_run(experiment=unique("exp"), name="fluent", tracking_uri=server.url) as client:
        mlcost.log_metrics({"acc": 0.5, "loss": 1.5}, step=3)
        mlcost.log_params({"lr": 0.1, "layers": 4})
        mlcost.set_tag("team", "vision")
        run_id = client.run_id
    run = get_run(server, run_id)
    assert run["info"]["status"] == "FINISHED"
    assert {m["key"]: m["value"] for m in run["data"]["metrics"]} == {"acc": 0.5, "loss": 1.5}
    assert {p["key"]: p["value"] for p in run["data"]["params"]} == {"lr": "0.1", "layers": "4"}
    mlcost.client._live_clients.discard(client)
    mlcost._default = None


def test_run_fails_when_block_raises(server):
    client = mlcost.Client(tracking_uri=server.url)
    with pytest.raises(RuntimeError):
        with client.start_run(name="boom"):
            client.log_metric("x", 1)
            raise RuntimeError("training crashed")
    run = get_run(server, client.run_id)
    assert run["info"]["status"] == "FAILED"
    assert [m["key"] for m in run["data"]["metrics"]] == ["x"]


def test_nan_and_infinity_are_kept(server):
    run = create_run(server)
    client = mlcost.Client(tracking_uri=server.url, run_id=run["info"]["run_id"])
    client.log_metric("v", float("nan"), step=0)
    client.log_metric("v", float("inf"), step=1)
    client.log_metric("v", -float("inf"), step=2)
    assert client.flush(timeout=30)
    values = [p["value"] for p in sorted(metric_history(server, client.run_id, "v"), key=lambda p: p["step"])]
    assert math.isnan(float(values[0])) and float(values[1]) == math.inf and float(values[2]) == -math.inf


def test_refused_items_are_reported_on_flush_and_the_rest_delivered(server):
    run = create_run(server)
    client = mlcost.Client(tracking_uri=server.url, run_id=run["info"]["run_id"], flush_interval=3600)
    for i in range(10):
        client.log_metric("good", i, step=i)
    client.log_metric("../escape", 1.0)  # not a normalised path: the server refuses it
    for i in range(10, 20):
        client.log_metric("good", i, step=i)
    with pytest.raises(mlcost.MlcostError) as info:
        client.flush(timeout=30)
    assert "../escape" in str(info.value)
    assert isinstance(info.value.__cause__, mlcost.ApiError)
    assert info.value.__cause__.error_code == "INVALID_PARAMETER_VALUE"
    assert sorted(p["step"] for p in metric_history(server, client.run_id, "good")) == list(range(20))
    # A param changed after being logged: MLflow's write-once rule, reported with its message.
    client.log_param("lr", "0.1")
    client.log_param("lr", "0.2")
    with pytest.raises(mlcost.MlcostError, match="lr"):
        client.flush(timeout=30)
    assert client.flush(timeout=30)  # reported once
    client.close()


def test_bad_values_raise_at_the_call():
    client = mlcost.Client(tracking_uri="http://127.0.0.1:9", run_id="r" * 32)
    with pytest.raises(TypeError):
        client.log_metric("x", "1.0")
    with pytest.raises(TypeError):
        client.log_metric("x", True)
    with pytest.raises(TypeError):
        client.log_metric("", 1.0)
    assert client.pending() == 0
    client.close(timeout=0)


def test_no_run_is_a_clear_error():
    client = mlcost.Client(tracking_uri="http://127.0.0.1:9")
    with pytest.raises(mlcost.MlcostError, match="start_run"):
        client.log_metric("x", 1.0)


def test_environment_of_mlcost_run_is_honoured(server, monkeypatch):
    run = create_run(server)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", server.url)
    monkeypatch.setenv("MLCOST_RUN_ID", run["info"]["run_id"])
    client = mlcost.Client()
    assert client.tracking_uri == server.url and client.run_id == run["info"]["run_id"]
    assert client.start_run(experiment="ignored", name="renamed") is client  # no second run
    client.log_metric("env", 1.0)
    client.close()
    got = get_run(server, run["info"]["run_id"])
    assert [m["key"] for m in got["data"]["metrics"]] == ["env"]
    assert {t["key"]: t["value"] for t in got["data"]["tags"]}["mlflow.runName"] == "renamed"


def test_should_stop_is_cached(server, proxy_factory):
    proxy = proxy_factory(server.url)
    run = create_run(server)
    client = mlcost.Client(tracking_uri=proxy.url, run_id=run["info"]["run_id"])
    client.should_stop_cache_s = 3600  # no clock in this test: the cache never expires
    assert server.get("/api/v1/runs/%s/should-stop" % client.run_id).json()["stop"] is False
    assert [client.should_stop() for _ in range(100)] == [False] * 100
    assert proxy.count("/should-stop") == 1
    client.close()


def test_should_stop_is_false_on_an_older_server_without_the_endpoint(server, proxy_factory):
    proxy = proxy_factory(server.url)
    run = create_run(server)
    client = mlcost.Client(tracking_uri=proxy.url, run_id=run["info"]["run_id"])
    path = "/api/v1/runs/%s/should-stop" % client.run_id
    proxy.canned[path] = (404, json.dumps({"error_code": "ENDPOINT_NOT_FOUND", "message": "No API endpoint"}).encode())
    assert client.should_stop() is False
    client.close()


def test_should_stop_follows_the_server(server):
    run = create_run(server)
    client = mlcost.Client(tracking_uri=server.url, run_id=run["info"]["run_id"])
    client.should_stop_cache_s = 0
    assert client.should_stop() is False
    r = server.post("/api/v1/runs/%s/stop" % client.run_id, json={"reason": "over budget"})
    assert r.status_code == 200, r.text
    assert client.should_stop() is True
    client.close()


def test_should_stop_is_false_when_server_is_down():
    client = mlcost.Client(tracking_uri="http://127.0.0.1:9", run_id="r" * 32)
    assert client.should_stop() is False
    client.close(timeout=0)
