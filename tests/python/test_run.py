"""`mlcost run` against the real server: run records, exit codes, the child's environment,
signal forwarding, a missing command and an unreachable server (docs/run.md)."""
import os
import re
import signal
import socket
import subprocess
import sys
import time
from decimal import Decimal

import pytest

from conftest import binary_path, unique

RUN_TIMEOUT_S = 60


def mlcost_run(srv_url, args, cwd, command):
    """Runs `mlcost run --server URL ARGS -- COMMAND` in `cwd`; returns the CompletedProcess."""
    cmd = [binary_path(), "run", "--server", srv_url, *args, "--", *command]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=RUN_TIMEOUT_S,
                          stdin=subprocess.DEVNULL)


def get_run(srv, run_id):
    r = srv.mlflow_get("runs/get", {"run_id": run_id})
    assert r.status_code == 200, r.text
    return r.json()["run"]


def experiment_id(srv, name):
    r = srv.mlflow_get("experiments/get-by-name", {"experiment_name": name})
    assert r.status_code == 200, r.text
    return r.json()["experiment"]["experiment_id"]


def runs_of(srv, exp_id):
    r = srv.mlflow_post("runs/search", {"experiment_ids": [exp_id]})
    assert r.status_code == 200, r.text
    return r.json().get("runs", [])


def tags_of(run):
    return {t["key"]: t["value"] for t in run["data"].get("tags", [])}


def test_failing_command_gives_its_exit_code_and_a_failed_run(server, tmp_path):
    name = unique("run-e")
    p = mlcost_run(server.url, ["--experiment", name], tmp_path,
                   ["/bin/sh", "-c", "echo $MLFLOW_RUN_ID; exit 3"])
    assert p.returncode == 3, p.stderr
    run_id = p.stdout.strip()
    assert run_id, p.stderr
    run = get_run(server, run_id)
    assert run["info"]["status"] == "FAILED"
    assert run["info"]["end_time"] >= run["info"]["start_time"]
    assert run["info"]["experiment_id"] == experiment_id(server, name)  # created by name
    assert run_id in p.stderr and "FAILED" in p.stderr and "exit 3" in p.stderr, p.stderr
    assert tags_of(run)["mlcost.exit_code"] == "3"
    assert tags_of(run)["mlcost.exit_status"] == "exit 3"


def test_successful_command_finishes_the_run_with_tags_and_cost(server, tmp_path):
    name = unique("run-ok")
    p = mlcost_run(server.url,
                   ["--experiment", name, "--name", "trial-1", "--tag", "team=vision", "--tag", "note=a=b",
                    "--instance-type", "p3.2xlarge", "--tag", "mlcost.region=us-east-1",
                    "--tag", "mlcost.provider=aws"],
                   tmp_path, ["/bin/sh", "-c", "echo $MLCOST_RUN_ID"])
    assert p.returncode == 0, p.stderr
    run_id = p.stdout.strip()
    run = get_run(server, run_id)
    assert run["info"]["status"] == "FINISHED"
    assert "end_time" in run["info"]
    assert run["info"]["run_name"] == "trial-1"
    tags = tags_of(run)
    assert tags["team"] == "vision"
    assert tags["note"] == "a=b"
    assert tags["mlcost.instance_type"] == "p3.2xlarge"
    v1 = server.get("/api/v1/runs/" + run_id).json()
    assert v1["cost"] is not None, v1.get("cost_reason")
    assert v1["cost"]["final"] is True  # the run ended
    # The summary names the same cost the API reports.
    m = re.search(r", cost (\S+) (\S+)$", p.stderr.strip())
    assert m, p.stderr
    assert Decimal(m.group(1)) == Decimal(v1["cost"]["cost_so_far"]) and m.group(2) == v1["cost"]["currency"]


def test_the_child_gets_its_run_and_a_checkpoint_dir(server, tmp_path):
    script = ("echo \"$MLCOST_RUN_ID|$MLFLOW_RUN_ID|$MLCOST_TRACKING_URI|$MLFLOW_TRACKING_URI|"
              "$MLCOST_CHECKPOINT_DIR|${MLCOST_RESUME_FROM-unset}|$MLFLOW_EXPERIMENT_ID\"; "
              "test -d \"$MLCOST_CHECKPOINT_DIR\"")
    p = mlcost_run(server.url, ["--experiment", unique("run-env")], tmp_path, ["/bin/sh", "-c", script])
    assert p.returncode == 0, p.stderr
    run_id, mlflow_id, uri, mlflow_uri, ckpt, resume, exp = p.stdout.strip().split("|")
    assert run_id == mlflow_id and run_id
    assert uri == mlflow_uri == server.url
    assert ckpt == str(tmp_path / ".mlcost" / "runs" / run_id / "checkpoints")
    assert resume == ""  # set, and empty on a first attempt
    assert exp == get_run(server, run_id)["info"]["experiment_id"]


def test_mlflow_code_in_the_child_logs_into_the_same_run(server, tmp_path):
    child = (
        "import json, os, time, urllib.request\n"
        "body = json.dumps({'run_id': os.environ['MLFLOW_RUN_ID'], 'key': 'loss', 'value': 0.25,\n"
        "                   'timestamp': int(time.time() * 1000), 'step': 1}).encode()\n"
        "req = urllib.request.Request(os.environ['MLFLOW_TRACKING_URI'] + '/api/2.0/mlflow/runs/log-metric',\n"
        "                             data=body, headers={'Content-Type': 'application/json'})\n"
        "urllib.request.urlopen(req).read()\n"
        "print(os.environ['MLFLOW_RUN_ID'])\n")
    p = mlcost_run(server.url, ["--experiment", unique("run-metric")], tmp_path, [sys.executable, "-c", child])
    assert p.returncode == 0, p.stderr
    run = get_run(server, p.stdout.strip())
    # The sampler's system/ metrics (docs/run.md, "Sampling") are logged alongside.
    metrics = {m["key"]: m["value"] for m in run["data"].get("metrics", []) if not m["key"].startswith("system/")}
    assert metrics == {"loss": 0.25}


def test_a_command_killed_by_a_signal_exits_128_plus_the_signal(server, tmp_path):
    p = mlcost_run(server.url, ["--experiment", unique("run-kill")], tmp_path,
                   ["/bin/sh", "-c", "echo $MLCOST_RUN_ID; kill -KILL $$"])
    assert p.returncode == 128 + signal.SIGKILL, p.stderr
    run = get_run(server, p.stdout.strip())
    assert run["info"]["status"] == "FAILED"
    assert "SIGKILL" in p.stderr, p.stderr
    assert tags_of(run)["mlcost.exit_code"] == str(128 + signal.SIGKILL)
    assert tags_of(run)["mlcost.exit_status"] == "killed by SIGKILL (signal 9)"


def test_sigterm_is_forwarded_to_the_command(server, tmp_path):
    ready = tmp_path / "ready"
    script = "trap 'echo $MLCOST_RUN_ID; exit 7' TERM; touch %s; while :; do sleep 1; done" % ready
    cmd = [binary_path(), "run", "--server", server.url, "--experiment", unique("run-term"), "--",
           "/bin/sh", "-c", script]
    proc = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while not ready.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the command never started"
            time.sleep(0.02)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=RUN_TIMEOUT_S)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 7, err  # the trap ran: the signal reached the command
    # The user stopped it: KILLED (MLflow's status for a run stopped by its user), not restarted.
    assert get_run(server, out.strip())["info"]["status"] == "KILLED"
    assert "(exit 7; interrupted)" in err, err


def test_a_missing_command_is_a_clear_error_and_a_failed_run(server, tmp_path):
    name = unique("run-missing")
    p = mlcost_run(server.url, ["--experiment", name], tmp_path, ["mlcost-no-such-command-xyz", "arg"])
    assert p.returncode == 127, p.stderr
    assert 'mlcost run: cannot start "mlcost-no-such-command-xyz": No such file or directory' in p.stderr
    runs = runs_of(server, experiment_id(server, name))
    assert len(runs) == 1
    assert runs[0]["info"]["status"] == "FAILED"  # not left RUNNING
    assert "end_time" in runs[0]["info"]


def test_an_unreachable_server_does_not_start_the_command(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    marker = tmp_path / "started"
    p = mlcost_run("http://127.0.0.1:%d" % port, ["--experiment", "x"], tmp_path,
                   ["/bin/sh", "-c", "touch %s" % marker])
    assert p.returncode == 1, p.stderr
    assert p.stderr.startswith("mlcost run: cannot reach mlcost server"), p.stderr
    assert not marker.exists()


def test_resume_continues_the_same_run(server, tmp_path):
    first = mlcost_run(server.url, ["--experiment", unique("run-resume")], tmp_path,
                       ["/bin/sh", "-c", "echo $MLCOST_RUN_ID; exit 1"])
    assert first.returncode == 1, first.stderr
    run_id = first.stdout.strip()
    again = mlcost_run(server.url, ["--resume", run_id, "--tag", "resumed=yes"], tmp_path,
                       ["/bin/sh", "-c", "echo $MLCOST_RUN_ID"])
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == run_id
    run = get_run(server, run_id)
    assert run["info"]["status"] == "FINISHED"
    assert tags_of(run)["resumed"] == "yes"
    attempts = server.get("/api/v1/runs/" + run_id).json()["attempts"]
    assert len(attempts) == 2
    assert all(a["end_time"] for a in attempts)


def test_resume_of_an_unknown_run_does_not_start_the_command(server, tmp_path):
    marker = tmp_path / "started"
    p = mlcost_run(server.url, ["--resume", "0123456789abcdef0123456789abcdef"], tmp_path,
                   ["/bin/sh", "-c", "touch %s" % marker])
    assert p.returncode == 1, p.stderr
    assert not marker.exists()


def test_a_tag_without_equals_is_a_usage_error(server, tmp_path):
    p = mlcost_run(server.url, ["--tag", "novalue"], tmp_path, ["/bin/true"])
    assert p.returncode == 2, p.stderr
    assert "KEY=VALUE" in p.stderr or "novalue" in p.stderr, p.stderr
