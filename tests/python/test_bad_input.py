"""Bad input gets a clear 4xx with a JSON error body, never a crash; the server keeps serving."""
import json
import os
import socket
import subprocess
import threading
import time

import pytest

from conftest import assert_error, binary_path, create_run, metric_history, now_ms

SEVENTEEN_MIB = 17 * 1024 * 1024


def _assert_still_serving(server):
    assert server.alive(), server.stderr()
    assert server.healthy()


# --- malformed bodies --------------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    b"{",
    b"{\"run_id\": ",
    b"not json at all",
    b"{\"experiment_id\": \"0\",}",
    b"\xff\xfe\x00garbage",
    b"[1, 2, 3]",
    b"\"just a string\"",
])
def test_malformed_json_is_400_and_server_keeps_serving(server, body):
    r = server.post("/api/2.0/mlflow/runs/create", data=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 400, r.text
    err = r.json()
    assert err["error_code"] in ("INVALID_PARAMETER_VALUE", "BAD_REQUEST", "MALFORMED_REQUEST"), err
    assert isinstance(err["message"], str) and err["message"]
    _assert_still_serving(server)


def test_malformed_json_on_v1_routes(server):
    r = server.post("/api/v1/runs", data=b"{oops", headers={"Content-Type": "application/json"})
    assert 400 <= r.status_code < 500, r.text
    assert r.json()["error_code"] and r.json()["message"]
    _assert_still_serving(server)


# --- wrong types -------------------------------------------------------------------------------

def test_wrong_types(server):
    run_id = create_run(server)["info"]["run_id"]
    ts = now_ms()
    cases = [
        # path, body, why
        ("runs/log-metric", {"run_id": run_id, "key": "m", "value": 1.0, "timestamp": "abc"},
         "timestamp not int-like (MLflow _assert_intlike)"),
        ("runs/log-metric", {"run_id": run_id, "key": "m", "value": "abc", "timestamp": ts},
         "value not float-like (MLflow _assert_floatlike)"),
        ("runs/log-metric", {"run_id": run_id, "key": "m", "value": {"x": 1}, "timestamp": ts},
         "value an object"),
        ("runs/log-metric", {"run_id": run_id, "key": "m", "value": 1.0, "timestamp": ts, "step": 1.5},
         "step not an integer"),
        ("runs/log-metric", {"run_id": run_id, "key": 5, "value": 1.0, "timestamp": ts},
         "key not a string (MLflow _assert_string)"),
        ("runs/log-metric", {"run_id": run_id, "key": "m", "timestamp": ts}, "value missing"),
        ("runs/log-metric", {"run_id": run_id, "key": "m", "value": 1.0}, "timestamp missing"),
        ("runs/create", {"experiment_id": 5}, "experiment_id as a number (MLflow _assert_string)"),
        ("runs/create", {"experiment_id": "0", "tags": {"a": "b"}}, "tags not a list"),
        ("runs/log-batch", {"run_id": run_id, "metrics": {"key": "m"}}, "metrics not a list"),
        ("runs/log-batch", {"run_id": run_id, "params": [{"key": "p", "value": 3}]}, "param value not a string"),
        ("runs/log-parameter", {"run_id": run_id, "key": "p", "value": ["x"]}, "param value a list"),
        ("runs/set-tag", {"run_id": run_id, "key": "t", "value": ["x"]}, "tag value a list"),
        ("runs/set-tag", {"run_id": run_id, "key": "t", "value": 7}, "tag value a number"),
        ("runs/update", {"run_id": run_id, "status": "DONE"}, "unknown status"),
        ("runs/search", {"experiment_ids": "0", "max_results": "many"}, "max_results not an int"),
        ("runs/search", {"experiment_ids": ["0"], "run_view_type": "SOME"}, "unknown view type"),
        ("experiments/create", {"name": ""}, "empty experiment name"),
        ("experiments/create", {"name": 12}, "name as a number"),
    ]
    for path, body, why in cases:
        r = server.mlflow_post(path, body)
        assert r.status_code == 400, "%s: %s %s" % (why, r.status_code, r.text)
        assert r.json()["error_code"] == "INVALID_PARAMETER_VALUE", (why, r.text)
        assert r.json()["message"], why
    # None of the metric requests above wrote anything.
    assert metric_history(server, run_id, "m") == []
    # A boolean metric value: MLflow's reference limits (validation.py) reject bools; so does mlcost.
    r = server.mlflow_post("runs/log-metric", {"run_id": run_id, "key": "b", "value": True, "timestamp": ts})
    assert_error(r, 400, "INVALID_PARAMETER_VALUE")
    assert metric_history(server, run_id, "b") == []
    _assert_still_serving(server)


def test_unknown_run_and_experiment_are_404(server):
    missing_run = "0123456789abcdef0123456789abcdef"
    for method, path, args in [
        ("GET", "runs/get", {"run_id": missing_run}),
        ("GET", "metrics/get-history", {"run_id": missing_run, "metric_key": "x"}),
        ("GET", "experiments/get", {"experiment_id": "987654321"}),
        ("GET", "artifacts/list", {"run_id": missing_run}),
        ("POST", "runs/log-metric", {"run_id": missing_run, "key": "x", "value": 1, "timestamp": 1}),
        ("POST", "runs/log-batch", {"run_id": missing_run, "params": [{"key": "p", "value": "v"}]}),
        ("POST", "runs/update", {"run_id": missing_run, "status": "FINISHED"}),
        ("POST", "runs/delete", {"run_id": missing_run}),
        ("POST", "runs/create", {"experiment_id": "987654321"}),
        ("POST", "experiments/delete", {"experiment_id": "987654321"}),
    ]:
        if method == "GET":
            r = server.mlflow_get(path, args)
        else:
            r = server.mlflow_post(path, args)
        assert_error(r, 404, "RESOURCE_DOES_NOT_EXIST")
    r = server.get("/api/v1/runs/" + missing_run)
    assert r.status_code == 404, r.text
    assert r.json()["error_code"] == "RESOURCE_DOES_NOT_EXIST"


def test_keys_outside_mlflows_pattern(server):
    run_id = create_run(server)["info"]["run_id"]
    ts = now_ms()
    for key in ["bad key!", "a*b", "semi;colon", "../up", "/abs", "x/../y", "quote'"]:
        for path, body in [
            ("runs/log-metric", {"run_id": run_id, "key": key, "value": 1.0, "timestamp": ts}),
            ("runs/log-parameter", {"run_id": run_id, "key": key, "value": "v"}),
            ("runs/set-tag", {"run_id": run_id, "key": key, "value": "v"}),
            ("runs/log-batch", {"run_id": run_id, "params": [{"key": key, "value": "v"}]}),
        ]:
            r = server.mlflow_post(path, body)
            assert_error(r, 400, "INVALID_PARAMETER_VALUE")
    # Keys MLflow allows (alphanumerics, _ - . space / and colon) pass.
    r = server.mlflow_post("runs/log-batch", {"run_id": run_id, "metrics": [
        {"key": "val/loss_1 a.b-c:d", "value": 1.0, "timestamp": ts}]})
    assert r.status_code == 200, r.text
    r = server.mlflow_post("runs/log-metric", {"run_id": run_id, "key": "k" * 251, "value": 1.0, "timestamp": ts})
    assert_error(r, 400, "INVALID_PARAMETER_VALUE", "exceeds the maximum length of 250")


def test_over_long_values(server):
    run_id = create_run(server)["info"]["run_id"]
    r = server.mlflow_post("runs/log-parameter", {"run_id": run_id, "key": "long", "value": "v" * 6001})
    assert_error(r, 400, "INVALID_PARAMETER_VALUE", "'Param value' exceeds the maximum length of 6000 characters")
    r = server.mlflow_post("runs/log-parameter", {"run_id": run_id, "key": "ok", "value": "v" * 6000})
    assert r.status_code == 200, r.text
    r = server.mlflow_post("runs/set-tag", {"run_id": run_id, "key": "t", "value": "v" * 8001})
    assert_error(r, 400, "INVALID_PARAMETER_VALUE", "exceeds the maximum length of 8000")
    r = server.mlflow_post("experiments/create", {"name": "e" * 501})
    assert_error(r, 400, "INVALID_PARAMETER_VALUE")
    params = server.mlflow_get("runs/get", {"run_id": run_id}).json()["run"]["data"]["params"]
    assert params == [{"key": "ok", "value": "v" * 6000}]


# --- oversized bodies --------------------------------------------------------------------------

def _post_raw(port, path, body, timeout=30):
    """POSTs `body` on a raw socket, sending in a thread while reading, so a 413 answered before
    the upload ends can still be read. Returns the bytes received (possibly empty if the server
    reset the connection before we could read its answer)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    head = ("POST %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/json\r\n"
            "Content-Length: %d\r\n\r\n" % (path, port, len(body))).encode()
    send_error = []

    def send():
        try:
            sock.sendall(head)
            view = memoryview(body)
            for off in range(0, len(body), 1 << 20):
                sock.sendall(view[off:off + (1 << 20)])
        except OSError as e:  # the server may close after answering 413
            send_error.append(e)

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    received = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                break
            except OSError:
                break
            if not chunk:
                break
            received += chunk
            if _complete_response(received):
                break
    finally:
        sender.join(timeout=timeout)
        sock.close()
    return received


def _complete_response(data):
    if b"\r\n\r\n" not in data:
        return False
    head, body = data.split(b"\r\n\r\n", 1)
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value.strip())
    return False


def test_body_over_server_limit_is_413(server):
    body = b'{"run_id": "0123456789abcdef0123456789abcdef", "padding": "' + b"x" * SEVENTEEN_MIB + b'"}'
    got_response = False
    for _attempt in range(3):  # a reset can swallow the answer; try a few times to see one
        received = _post_raw(server.port, "/api/2.0/mlflow/runs/log-batch", body)
        if received:
            got_response = True
            status_line = received.split(b"\r\n", 1)[0]
            assert status_line.split()[1] == b"413", received[:500]
            if _complete_response(received):
                payload = json.loads(received.split(b"\r\n\r\n", 1)[1])
                assert payload["error_code"] and payload["message"], payload
            break
        _assert_still_serving(server)
    # Either way (a 413 answer, or a connection closed after it) the server is fine afterwards.
    _assert_still_serving(server)
    print("17 MiB raw post: %s" % ("413 answer read" if got_response else "connection closed, no answer read"))


def test_body_just_over_limit_with_requests_client(server):
    # The same through requests: either a 413 JSON answer or a connection error, never a 2xx/5xx.
    import requests
    body = b'{"padding": "' + b"y" * SEVENTEEN_MIB + b'"}'
    try:
        r = server.post("/api/2.0/mlflow/runs/log-batch", data=body, headers={"Content-Type": "application/json"})
    except requests.exceptions.ConnectionError:
        r = None
    if r is not None:
        assert r.status_code == 413, r.text[:300]
        assert r.json()["error_code"] and r.json()["message"]
    _assert_still_serving(server)


# --- routing -----------------------------------------------------------------------------------

def test_unknown_endpoint_is_404_endpoint_not_found(server):
    for method, path in [("GET", "/api/2.0/mlflow/no/such/thing"), ("POST", "/api/2.0/mlflow/runs/explode"),
                         ("GET", "/api/v1/nothing-here")]:
        r = server.get(path) if method == "GET" else server.post(path, json={})
        assert_error(r, 404, "ENDPOINT_NOT_FOUND")


# --- the data directory has one owner ----------------------------------------------------------

def test_second_server_on_same_data_dir_exits_1_naming_holder(server):
    proc = subprocess.run([binary_path(), "serve", "--data-dir", server.data_dir, "--host", "127.0.0.1",
                           "--port", "0"], capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
    assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
    err = proc.stderr.decode("utf-8", "replace")
    assert "pid" in err, err
    assert str(server.proc.pid) in err, err
    assert b"listening" not in proc.stdout
    _assert_still_serving(server)


# --- nothing half-written ----------------------------------------------------------------------

def test_failed_batch_writes_nothing(server):
    run_id = create_run(server)["info"]["run_id"]
    ts = now_ms()
    # A valid metric with an invalid param key: refused as a whole.
    r = server.mlflow_post("runs/log-batch", {"run_id": run_id,
                                               "metrics": [{"key": "good", "value": 1.0, "timestamp": ts}],
                                               "params": [{"key": "bad key!", "value": "v"}],
                                               "tags": [{"key": "t", "value": "v"}]})
    assert_error(r, 400, "INVALID_PARAMETER_VALUE")
    assert metric_history(server, run_id, "good") == []
    data = server.mlflow_get("runs/get", {"run_id": run_id}).json()["run"]["data"]
    assert "metrics" not in data or data["metrics"] == []
    assert "t" not in {t["key"] for t in data.get("tags", [])}

    # A valid metric with a param that conflicts with a stored one (found only inside the
    # write transaction): also nothing.
    r = server.mlflow_post("runs/log-parameter", {"run_id": run_id, "key": "opt", "value": "adam"})
    assert r.status_code == 200, r.text
    r = server.mlflow_post("runs/log-batch", {"run_id": run_id,
                                               "metrics": [{"key": "good", "value": 2.0, "timestamp": ts}],
                                               "params": [{"key": "opt", "value": "sgd"}, {"key": "new", "value": "1"}],
                                               "tags": [{"key": "t2", "value": "v"}]})
    assert_error(r, 400, "INVALID_PARAMETER_VALUE")
    assert metric_history(server, run_id, "good") == []
    data = server.mlflow_get("runs/get", {"run_id": run_id}).json()["run"]["data"]
    assert data["params"] == [{"key": "opt", "value": "adam"}]
    assert "t2" not in {t["key"] for t in data.get("tags", [])}

    # Duplicate param keys in one batch: refused, nothing written.
    r = server.mlflow_post("runs/log-batch", {"run_id": run_id,
                                               "metrics": [{"key": "good", "value": 3.0, "timestamp": ts}],
                                               "params": [{"key": "d", "value": "1"}, {"key": "d", "value": "2"}]})
    assert_error(r, 400, "INVALID_PARAMETER_VALUE", "Duplicate parameter keys")
    assert metric_history(server, run_id, "good") == []


def test_writes_to_deleted_run_are_refused(server):
    run_id = create_run(server)["info"]["run_id"]
    assert server.mlflow_post("runs/delete", {"run_id": run_id}).status_code == 200
    r = server.mlflow_post("runs/log-metric", {"run_id": run_id, "key": "x", "value": 1, "timestamp": now_ms()})
    assert_error(r, 400, "INVALID_PARAMETER_VALUE", "must be in the 'active' state")
    assert server.mlflow_post("runs/restore", {"run_id": run_id}).status_code == 200
    r = server.mlflow_post("runs/log-metric", {"run_id": run_id, "key": "x", "value": 1, "timestamp": now_ms()})
    assert r.status_code == 200, r.text


def test_many_bad_requests_in_parallel_do_not_hurt(server):
    import concurrent.futures
    run_id = create_run(server)["info"]["run_id"]
    bodies = [b"{", b'{"run_id": 1}', json.dumps({"run_id": run_id, "key": "bad key!", "value": 1,
                                                  "timestamp": 1}).encode(), b"\x00" * 100]

    def hit(i):
        r = server.post("/api/2.0/mlflow/runs/log-metric", data=bodies[i % len(bodies)],
                        headers={"Content-Type": "application/json"})
        return r.status_code

    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        codes = list(pool.map(hit, range(200)))
    assert set(codes) == {400}, set(codes)
    _assert_still_serving(server)
    assert os.path.isdir(server.data_dir)


def test_post_content_type_must_be_json(server):
    # MLflow's _validate_content_type (server/validation.py) for POSTs; it also keeps a browser's
    # cross-site text/plain "simple request" from writing to a localhost server.
    run_id = create_run(server)["info"]["run_id"]
    body = json.dumps({"run_id": run_id, "key": "ct", "value": 1.0, "timestamp": 1})
    r = server.post("/api/2.0/mlflow/runs/log-metric", data=body, headers={"Content-Type": "text/plain"})
    assert_error(r, 400, "INVALID_PARAMETER_VALUE", "Bad Request. Content-Type must be one of ['application/json'].")
    r = server.post("/api/2.0/mlflow/runs/log-metric", data=body,
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_error(r, 400, "INVALID_PARAMETER_VALUE", "Content-Type must be one of")
    r = server.post("/api/2.0/mlflow/runs/log-metric", data=body.encode(), headers={"Content-Type": None})
    assert_error(r, 400, "INVALID_PARAMETER_VALUE", "Bad Request. Content-Type header is missing.")
    assert metric_history(server, run_id, "ct") == []
    r = server.post("/api/2.0/mlflow/runs/log-metric", data=body,
                    headers={"Content-Type": "application/json; charset=utf-8"})
    assert r.status_code == 200, r.text
    assert len(metric_history(server, run_id, "ct")) == 1


def test_out_of_range_numbers(server):
    run_id = create_run(server)["info"]["run_id"]
    # A double literal that overflows: a 400, not a 500 (MLflow clients retry 5xx for minutes).
    r = server.mlflow_post("runs/log-metric", data='{"run_id": "%s", "key": "o", "value": 1e400, "timestamp": 1}'
                           % run_id)
    assert_error(r, 400, "INVALID_PARAMETER_VALUE")
    # int64 fields above INT64_MAX are refused (protobuf: "Value out of range"), not wrapped.
    for field in ("step", "timestamp"):
        body = {"run_id": run_id, "key": "o", "value": 1.0, "timestamp": 1, "step": 0}
        body[field] = 2 ** 63
        r = server.mlflow_post("runs/log-metric", body)
        assert_error(r, 400, "INVALID_PARAMETER_VALUE")
        body[field] = str(2 ** 63)
        r = server.mlflow_post("runs/log-metric", body)
        assert_error(r, 400, "INVALID_PARAMETER_VALUE")
    assert metric_history(server, run_id, "o") == []
    # The extremes that do fit are kept exactly.
    r = server.mlflow_post("runs/log-metric", {"run_id": run_id, "key": "o", "value": 1.7976931348623157e308,
                                                "timestamp": 2 ** 63 - 1, "step": -(2 ** 63)})
    assert r.status_code == 200, r.text
    assert metric_history(server, run_id, "o") == [
        {"key": "o", "value": 1.7976931348623157e308, "timestamp": 2 ** 63 - 1, "step": -(2 ** 63)}]
    _assert_still_serving(server)
