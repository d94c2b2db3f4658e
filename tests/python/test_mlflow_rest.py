"""The MLflow REST wire behaviour that MLflow's own clients rely on, against the real server.

References: /work/shared/reference/mlflow-rest-api.md section 1 (service.proto, handlers.py,
validation.py, rest_utils.py).
"""
import http.client
import json
import os
import time
import uuid

import pytest

from conftest import (assert_error, create_experiment, create_run, metric_history, now_ms,
                      unique)

MLFLOW = "/api/2.0/mlflow/"
ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts"


# --- experiments -------------------------------------------------------------------------------

def test_default_experiment_zero_exists(server):
    r = server.mlflow_get("experiments/get", {"experiment_id": "0"})
    assert r.status_code == 200, r.text
    exp = r.json()["experiment"]
    assert exp["experiment_id"] == "0"
    assert exp["name"] == "Default"
    assert exp["lifecycle_stage"] == "active"
    assert exp["artifact_location"].startswith("mlflow-artifacts:/")

    r = server.mlflow_get("experiments/get-by-name", {"experiment_name": "Default"})
    assert r.status_code == 200, r.text
    assert r.json()["experiment"]["experiment_id"] == "0"


def test_get_by_name_missing_is_resource_does_not_exist(server):
    # mlflow.set_experiment() calls create only when this error_code comes back.
    r = server.mlflow_get("experiments/get-by-name", {"experiment_name": unique("no-such-exp")})
    assert_error(r, 404, "RESOURCE_DOES_NOT_EXIST")


def test_create_get_by_name_and_duplicate(server):
    name = unique("exp")
    exp_id = create_experiment(server, name)
    assert isinstance(exp_id, str) and exp_id.isdigit()
    r = server.mlflow_get("experiments/get-by-name", {"experiment_name": name})
    assert r.status_code == 200, r.text
    assert r.json()["experiment"]["experiment_id"] == exp_id
    assert r.json()["experiment"]["name"] == name

    dup = server.mlflow_post("experiments/create", {"name": name})
    assert_error(dup, 400, "RESOURCE_ALREADY_EXISTS")


def test_experiments_search_post_and_get(server):
    name = unique("searchable")
    exp_id = create_experiment(server, name)
    r = server.mlflow_post("experiments/search", {"max_results": 1000, "filter": "name = '%s'" % name})
    assert r.status_code == 200, r.text
    assert [e["experiment_id"] for e in r.json()["experiments"]] == [exp_id]
    r = server.mlflow_get("experiments/search", {"max_results": "1000", "filter": "name = '%s'" % name})
    assert r.status_code == 200, r.text
    assert [e["experiment_id"] for e in r.json()["experiments"]] == [exp_id]


# --- runs, query parameters, number encodings ---------------------------------------------------

def test_run_artifact_uri_is_proxied(server):
    exp_id = create_experiment(server)
    run = create_run(server, exp_id)
    info = run["info"]
    assert info["artifact_uri"].startswith("mlflow-artifacts:/")
    assert info["artifact_uri"] == "mlflow-artifacts:/%s/%s/artifacts" % (exp_id, info["run_id"])
    assert info["run_id"] == info["run_uuid"]
    assert info["status"] == "RUNNING"
    assert info["lifecycle_stage"] == "active"
    assert info["run_name"]  # the server names unnamed runs


def test_get_with_query_parameters(server):
    run_id = create_run(server)["info"]["run_id"]
    ts = now_ms()
    r = server.mlflow_post("runs/log-metric", {"run_id": run_id, "key": "loss", "value": 0.5,
                                                "timestamp": ts, "step": 3})
    assert r.status_code == 200, r.text
    assert r.json() == {}

    r = server.get(MLFLOW + "runs/get?run_id=" + run_id)
    assert r.status_code == 200, r.text
    assert r.json()["run"]["info"]["run_id"] == run_id
    metrics = r.json()["run"]["data"]["metrics"]
    assert metrics == [{"key": "loss", "value": 0.5, "timestamp": ts, "step": 3}]

    # The deprecated run_uuid works too.
    r = server.get(MLFLOW + "runs/get?run_uuid=" + run_id)
    assert r.status_code == 200, r.text

    r = server.get(MLFLOW + "metrics/get-history?run_id=%s&metric_key=loss" % run_id)
    assert r.status_code == 200, r.text
    assert r.json()["metrics"] == [{"key": "loss", "value": 0.5, "timestamp": ts, "step": 3}]


def test_int64_fields_accepted_as_strings(server):
    run_id = create_run(server)["info"]["run_id"]
    r = server.mlflow_post("runs/log-metric", {"run_id": run_id, "key": "m", "value": 1.25,
                                                "timestamp": "123", "step": "7"})
    assert r.status_code == 200, r.text
    r = server.mlflow_post("runs/log-batch", {"run_id": run_id, "metrics": [
        {"key": "m", "value": "2.5", "timestamp": "124", "step": "8"}]})
    assert r.status_code == 200, r.text
    hist = metric_history(server, run_id, "m")
    assert sorted((h["step"], h["timestamp"], h["value"]) for h in hist) == [(7, 123, 1.25), (8, 124, 2.5)]
    # Responses carry int64 as JSON numbers (MLflow's message_to_json).
    assert all(isinstance(h["timestamp"], int) and isinstance(h["step"], int) for h in hist)

    # start_time / end_time as strings too.
    r = server.mlflow_post("runs/create", {"experiment_id": "0", "start_time": "1700000000000"})
    assert r.status_code == 200, r.text
    rid = r.json()["run"]["info"]["run_id"]
    assert r.json()["run"]["info"]["start_time"] == 1700000000000
    r = server.mlflow_post("runs/update", {"run_id": rid, "status": "FINISHED", "end_time": "1700000001000"})
    assert r.status_code == 200, r.text
    assert r.json()["run_info"]["end_time"] == 1700000001000
    assert r.json()["run_info"]["status"] == "FINISHED"


def _values(hist):
    return {h["step"]: h["value"] for h in hist}


def test_non_finite_values_as_proto_json_strings(server):
    # What MLflow's Python client sends (message_to_json): "NaN", "Infinity", "-Infinity".
    run_id = create_run(server)["info"]["run_id"]
    ts = now_ms()
    for step, v in enumerate(["NaN", "Infinity", "-Infinity"]):
        r = server.mlflow_post("runs/log-metric", {"run_id": run_id, "key": "x", "value": v,
                                                    "timestamp": ts, "step": step})
        assert r.status_code == 200, r.text
    assert _values(metric_history(server, run_id, "x")) == {0: "NaN", 1: "Infinity", 2: "-Infinity"}
    r = server.mlflow_get("runs/get", {"run_id": run_id})
    latest = r.json()["run"]["data"]["metrics"]
    assert latest == [{"key": "x", "value": "-Infinity", "timestamp": ts, "step": 2}]


def test_non_finite_values_as_bare_tokens(server):
    # Python's json.dumps writes bare NaN / Infinity tokens (allow_nan=True). Stock MLflow's
    # protobuf parser refuses them; mlcost accepts them (a documented leniency) and answers the
    # proto-JSON strings.
    run_id = create_run(server)["info"]["run_id"]
    ts = now_ms()
    body = {"run_id": run_id, "metrics": [
        {"key": "y", "value": float("nan"), "timestamp": ts, "step": 0},
        {"key": "y", "value": float("inf"), "timestamp": ts, "step": 1},
        {"key": "y", "value": float("-inf"), "timestamp": ts, "step": 2},
    ]}
    raw = json.dumps(body)
    assert "NaN" in raw and "-Infinity" in raw
    r = server.mlflow_post("runs/log-batch", data=raw)
    assert r.status_code == 200, r.text
    r = server.mlflow_post("runs/log-metric", data=json.dumps(
        {"run_id": run_id, "key": "z", "value": float("nan"), "timestamp": ts}))
    assert r.status_code == 200, r.text
    assert _values(metric_history(server, run_id, "y")) == {0: "NaN", 1: "Infinity", 2: "-Infinity"}
    assert _values(metric_history(server, run_id, "z")) == {0: "NaN"}
    # The responses are strict JSON: no bare tokens come back.
    r = server.mlflow_get("metrics/get-history", {"run_id": run_id, "metric_key": "y"})
    json.loads(r.text, parse_constant=lambda c: pytest.fail("bare %s in response" % c))

    # A "NaN" inside a string value is data, not a number.
    r = server.mlflow_post("runs/set-tag", data=json.dumps({"run_id": run_id, "key": "t", "value": "NaN Infinity"}))
    assert r.status_code == 200, r.text
    tags = {t["key"]: t["value"] for t in server.mlflow_get("runs/get", {"run_id": run_id}).json()["run"]["data"]["tags"]}
    assert tags["t"] == "NaN Infinity"


def test_log_batch_retry_is_idempotent(server):
    # MLflow's clients retry on 5xx/429 (rest_utils); a retried batch must succeed and must not
    # duplicate points (the SQL store skips points already logged with the same key, value,
    # timestamp and step).
    run_id = create_run(server)["info"]["run_id"]
    ts = now_ms()
    body = {"run_id": run_id,
            "metrics": [{"key": "acc", "value": i / 10.0, "timestamp": ts + i, "step": i} for i in range(10)],
            "params": [{"key": "lr", "value": "0.01"}],
            "tags": [{"key": "phase", "value": "train"}]}
    for _ in range(3):  # the original plus two retries
        r = server.mlflow_post("runs/log-batch", body)
        assert r.status_code == 200, r.text
        assert r.json() == {}
    hist = metric_history(server, run_id, "acc")
    assert sorted((h["step"], h["timestamp"], h["value"]) for h in hist) == \
        [(i, ts + i, i / 10.0) for i in range(10)]
    data = server.mlflow_get("runs/get", {"run_id": run_id}).json()["run"]["data"]
    assert [p for p in data["params"]] == [{"key": "lr", "value": "0.01"}]
    assert {"key": "phase", "value": "train"} in data["tags"]
    assert data["metrics"] == [{"key": "acc", "value": 0.9, "timestamp": ts + 9, "step": 9}]

    # A genuinely new point with the same step but another value is kept (metrics are append-only).
    r = server.mlflow_post("runs/log-metric", {"run_id": run_id, "key": "acc", "value": 0.95,
                                                "timestamp": ts + 9, "step": 9})
    assert r.status_code == 200, r.text
    assert len(metric_history(server, run_id, "acc")) == 11


def test_param_is_write_once(server):
    run_id = create_run(server)["info"]["run_id"]
    r = server.mlflow_post("runs/log-parameter", {"run_id": run_id, "key": "opt", "value": "adam"})
    assert r.status_code == 200, r.text
    r = server.mlflow_post("runs/log-parameter", {"run_id": run_id, "key": "opt", "value": "adam"})
    assert r.status_code == 200, r.text  # same value again is fine
    r = server.mlflow_post("runs/log-parameter", {"run_id": run_id, "key": "opt", "value": "sgd"})
    assert_error(r, 400, "INVALID_PARAMETER_VALUE", "Changing param values is not allowed")
    r = server.mlflow_post("runs/log-batch", {"run_id": run_id, "params": [{"key": "opt", "value": "sgd"}]})
    assert_error(r, 400, "INVALID_PARAMETER_VALUE", "Changing param values is not allowed")
    params = server.mlflow_get("runs/get", {"run_id": run_id}).json()["run"]["data"]["params"]
    assert params == [{"key": "opt", "value": "adam"}]


# --- log-batch limits (validation.py) -----------------------------------------------------------

def test_batch_limit_metrics(server):
    run_id = create_run(server)["info"]["run_id"]
    ts = now_ms()
    ok = [{"key": "k", "value": 1.0, "timestamp": ts, "step": i} for i in range(1000)]
    r = server.mlflow_post("runs/log-batch", {"run_id": run_id, "metrics": ok})
    assert r.status_code == 200, r.text
    too_many = [{"key": "j", "value": 1.0, "timestamp": ts, "step": i} for i in range(1001)]
    r = server.mlflow_post("runs/log-batch", {"run_id": run_id, "metrics": too_many})
    assert_error(r, 400, "INVALID_PARAMETER_VALUE",
                 "A batch logging request can contain at most 1000 metrics. Got 1001 metrics. "
                 "Please split up metrics across multiple requests and try again.")
    assert metric_history(server, run_id, "j") == []
    assert len(metric_history(server, run_id, "k")) == 1000


def test_batch_limit_params_and_tags(server):
    run_id = create_run(server)["info"]["run_id"]
    r = server.mlflow_post("runs/log-batch", {"run_id": run_id,
                                               "params": [{"key": "p%d" % i, "value": "v"} for i in range(101)]})
    assert_error(r, 400, "INVALID_PARAMETER_VALUE",
                 "A batch logging request can contain at most 100 params. Got 101 params.")
    r = server.mlflow_post("runs/log-batch", {"run_id": run_id,
                                               "tags": [{"key": "t%d" % i, "value": "v"} for i in range(101)]})
    assert_error(r, 400, "INVALID_PARAMETER_VALUE",
                 "A batch logging request can contain at most 100 tags. Got 101 tags.")
    # 1000 metrics + 1 param: over the 1000-entity total.
    ts = now_ms()
    r = server.mlflow_post("runs/log-batch", {"run_id": run_id,
                                               "metrics": [{"key": "m", "value": 1, "timestamp": ts, "step": i}
                                                           for i in range(1000)],
                                               "params": [{"key": "p", "value": "v"}]})
    assert_error(r, 400, "INVALID_PARAMETER_VALUE",
                 "A batch logging request can contain at most 1000 metrics, params, and tags.")
    data = server.mlflow_get("runs/get", {"run_id": run_id}).json()["run"]["data"]
    assert "params" not in data or data["params"] == []
    assert "metrics" not in data or data["metrics"] == []


def test_batch_body_over_one_megabyte(server):
    run_id = create_run(server)["info"]["run_id"]
    body = json.dumps({"run_id": run_id, "params": [{"key": "p", "value": "v"}], "padding": "x" * 1000000})
    assert len(body) > 1000000
    r = server.mlflow_post("runs/log-batch", data=body)
    assert_error(r, 400, "INVALID_PARAMETER_VALUE",
                 "Batched logging API requests must be at most 1000000 bytes, got a request of size %d."
                 % len(body))
    data = server.mlflow_get("runs/get", {"run_id": run_id}).json()["run"]["data"]
    assert "params" not in data or data["params"] == []


# --- search ------------------------------------------------------------------------------------

def test_search_runs_filter_order_and_paging(server):
    exp_id = create_experiment(server)
    ts = now_ms()
    runs = {}
    for i in range(7):
        run_id = create_run(server, exp_id, run_name="r%d" % i)["info"]["run_id"]
        runs[run_id] = i
        r = server.mlflow_post("runs/log-batch", {
            "run_id": run_id,
            "metrics": [{"key": "acc", "value": i / 10.0, "timestamp": ts, "step": 0}],
            "params": [{"key": "opt", "value": "adam" if i % 2 == 0 else "sgd"}],
            "tags": [{"key": "team", "value": "vision"}]})
        assert r.status_code == 200, r.text
    by_index = {i: rid for rid, i in runs.items()}

    r = server.mlflow_post("runs/search", {"experiment_ids": [exp_id],
                                            "filter": "metrics.acc > 0.15 and params.opt = 'adam'",
                                            "order_by": ["metrics.acc DESC"]})
    assert r.status_code == 200, r.text
    got = [x["info"]["run_id"] for x in r.json()["runs"]]
    assert got == [by_index[6], by_index[4], by_index[2]]
    assert r.json().get("next_page_token", "") == ""

    # Paging: 2 per page in metrics.acc ASC order, following next_page_token to the end.
    seen = []
    token = None
    for _ in range(10):
        body = {"experiment_ids": [exp_id], "filter": "tags.team = 'vision'", "max_results": 2,
                "order_by": ["metrics.acc ASC"]}
        if token:
            body["page_token"] = token
        r = server.mlflow_post("runs/search", body)
        assert r.status_code == 200, r.text
        page = [x["info"]["run_id"] for x in r.json().get("runs", [])]
        assert len(page) <= 2
        seen.extend(page)
        token = r.json().get("next_page_token")
        if not token:
            break
    assert seen == [by_index[i] for i in range(7)]

    # Deleted runs drop out of ACTIVE_ONLY and show up in DELETED_ONLY.
    r = server.mlflow_post("runs/delete", {"run_id": by_index[0]})
    assert r.status_code == 200, r.text
    r = server.mlflow_post("runs/search", {"experiment_ids": [exp_id], "filter": "metrics.acc < 0.15"})
    assert [x["info"]["run_id"] for x in r.json().get("runs", [])] == [by_index[1]]
    r = server.mlflow_post("runs/search", {"experiment_ids": [exp_id], "run_view_type": "DELETED_ONLY"})
    assert [x["info"]["run_id"] for x in r.json().get("runs", [])] == [by_index[0]]

    # A bad filter is a 400 with a message, not a 500.
    r = server.mlflow_post("runs/search", {"experiment_ids": [exp_id], "filter": "metrics.acc >"})
    assert_error(r, 400, "INVALID_PARAMETER_VALUE")


def test_metric_history_paging(server):
    run_id = create_run(server)["info"]["run_id"]
    ts = now_ms()
    r = server.mlflow_post("runs/log-batch", {"run_id": run_id, "metrics": [
        {"key": "h", "value": float(i), "timestamp": ts + i, "step": i} for i in range(25)]})
    assert r.status_code == 200, r.text
    steps, token = [], None
    for _ in range(20):
        params = {"run_id": run_id, "metric_key": "h", "max_results": "10"}
        if token:
            params["page_token"] = token
        r = server.mlflow_get("metrics/get-history", params)
        assert r.status_code == 200, r.text
        page = r.json()["metrics"]
        assert len(page) <= 10
        steps.extend(m["step"] for m in page)
        token = r.json().get("next_page_token")
        if not token:
            break
    assert sorted(steps) == list(range(25))
    assert len(steps) == 25


# --- artifacts ---------------------------------------------------------------------------------

def test_artifact_upload_download_list(server):
    exp_id = create_experiment(server)
    run = create_run(server, exp_id)["info"]
    run_id = run["run_id"]
    prefix = "%s/%s/artifacts" % (exp_id, run_id)
    payload = os.urandom(300000) + b"\x00\xff end"
    r = server.put(ARTIFACTS + "/" + prefix + "/model/weights.bin", data=payload)
    assert r.status_code == 200, r.text
    r = server.put(ARTIFACTS + "/" + prefix + "/notes.txt", data=b"hello")
    assert r.status_code == 200, r.text

    r = server.get(ARTIFACTS + "/" + prefix + "/model/weights.bin")
    assert r.status_code == 200
    assert r.content == payload

    r = server.get(ARTIFACTS, params={"path": prefix + "/model"})
    assert r.status_code == 200, r.text
    assert r.json()["files"] == [{"path": "weights.bin", "is_dir": False, "file_size": len(payload)}]
    r = server.get(ARTIFACTS, params={"path": prefix})
    files = {f["path"]: f for f in r.json()["files"]}
    assert files["model"]["is_dir"] is True and "file_size" not in files["model"]
    assert files["notes.txt"] == {"path": "notes.txt", "is_dir": False, "file_size": 5}

    r = server.mlflow_get("artifacts/list", {"run_id": run_id, "path": "model"})
    assert r.status_code == 200, r.text
    assert r.json()["root_uri"] == run["artifact_uri"]
    assert r.json()["files"] == [{"path": "model/weights.bin", "is_dir": False, "file_size": len(payload)}]
    r = server.mlflow_get("artifacts/list", {"run_id": run_id})
    assert {f["path"] for f in r.json()["files"]} == {"model", "notes.txt"}

    # Missing artifact -> 404.
    r = server.get(ARTIFACTS + "/" + prefix + "/model/nope.bin")
    assert r.status_code == 404


def _raw_request(server, method, path, body=None):
    """Sends `path` byte for byte (requests/urllib3 would normalise '..' away)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        data = body or b""
        if method in ("PUT", "POST"):
            conn.putheader("Content-Length", str(len(data)))
        conn.endheaders()
        if data:
            conn.send(data)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def _files_named(root, name):
    found = []
    for dirpath, _dirs, files in os.walk(root):
        if name in files:
            found.append(os.path.join(dirpath, name))
    return found


@pytest.mark.parametrize("traversal", [
    "../../../../../{name}",
    "%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/{name}",
    "..%2f..%2f..%2f..%2f..%2f{name}",
    "0/run/artifacts/../../../../../../{name}",
    "%2fetc%2f{name}",
])
def test_artifact_path_traversal_is_refused(server, traversal):
    name = "escape-%s.txt" % uuid.uuid4().hex
    path = ARTIFACTS + "/" + traversal.format(name=name)
    status, body = _raw_request(server, "PUT", path, b"owned")
    assert status == 400, (status, body)
    assert json.loads(body)["error_code"] == "INVALID_PARAMETER_VALUE"
    # Nothing was written anywhere near the data dir (its parent is the test's temp root).
    tmp_root = os.path.dirname(server.data_dir)
    assert _files_named(tmp_root, name) == []
    assert not os.path.exists(os.path.join("/", name))
    assert not os.path.exists(os.path.join("/tmp", name))

    status, body = _raw_request(server, "GET", ARTIFACTS + "/" + traversal.format(name="etc/passwd"))
    assert status == 400, (status, body)
    assert b"root:" not in body
    status, body = _raw_request(server, "GET", ARTIFACTS + "?path=" + traversal.format(name="etc"))
    assert status == 400, (status, body)
    assert b"passwd" not in body


# --- live cost (/api/v1) -----------------------------------------------------------------------

def test_live_cost_of_a_running_mlflow_run(server):
    run = create_run(server, tags={"mlcost.instance_type": "p3.2xlarge", "mlcost.provider": "aws",
                                   "mlcost.region": "us-east-1"})
    run_id = run["info"]["run_id"]
    r1 = server.get("/api/v1/runs/" + run_id)
    assert r1.status_code == 200, r1.text
    cost1 = r1.json()["cost"]
    assert cost1 is not None, r1.json().get("cost_reason")
    # Money is a decimal string, never a float.
    assert isinstance(cost1["hourly_price"], str) and isinstance(cost1["cost_so_far"], str)
    assert abs(float(cost1["hourly_price"]) - 3.06) < 0.5, cost1
    assert cost1["currency"] == "USD"
    assert cost1["final"] is False
    time.sleep(1.1)
    r2 = server.get("/api/v1/runs/" + run_id)
    cost2 = r2.json()["cost"]
    assert cost2["billable_seconds"] > cost1["billable_seconds"], (cost1, cost2)
    assert float(cost2["cost_so_far"]) >= float(cost1["cost_so_far"])
    # Finishing the run freezes the cost.
    r = server.mlflow_post("runs/update", {"run_id": run_id, "status": "FINISHED", "end_time": now_ms()})
    assert r.status_code == 200, r.text
    final = server.get("/api/v1/runs/" + run_id).json()["cost"]
    assert final["final"] is True
    time.sleep(1.1)
    assert server.get("/api/v1/runs/" + run_id).json()["cost"]["billable_seconds"] == final["billable_seconds"]

