"""The proof with a real job (issue 4): an MLP trained with python3-torch under
`mlcost run --max-restarts 2`, SIGKILLed from outside partway, resumes from its last checkpoint
and ends with exactly the weights and accuracy of an uninterrupted run with the same seed, having
repeated at most one checkpoint interval (one epoch); and with the server stopped for part of the
run, every metric arrives afterwards."""
import json
import os
import signal
import subprocess
import time

import requests

from conftest import REPO_ROOT, binary_path, run_id_from, v1_run

SCRIPT = os.path.join(os.path.dirname(__file__), "train_digits.py")
EPOCHS = 24


def job_env(**kw):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.join(REPO_ROOT, "clients", "python", "src")
    env["EPOCHS"] = str(EPOCHS)
    env.update({k: str(v) for k, v in kw.items()})
    return env


def reference_result(tmp_path):
    """The uninterrupted run, without mlcost (the client does nothing without a server)."""
    out = tmp_path / "reference"
    out.mkdir()
    env = job_env(EPOCH_SLEEP=0)
    for var in ("MLCOST_TRACKING_URI", "MLFLOW_TRACKING_URI", "MLCOST_RUN_ID", "MLFLOW_RUN_ID",
                "MLCOST_CHECKPOINT_DIR"):
        env.pop(var, None)
    p = subprocess.run(["/usr/bin/python3", SCRIPT, str(out)], cwd=out, capture_output=True, text=True, timeout=300,
                       env=env)
    assert p.returncode == 0, p.stderr
    return json.loads((out / "result.json").read_text())


def wait_for_epoch(progress, epoch, proc, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if progress.exists() and "epoch %d\n" % epoch in progress.read_text():
            return
        assert proc.poll() is None, proc.communicate()[1]
        time.sleep(0.05)
    raise AssertionError("epoch %d not reached" % epoch)


def test_sigkilled_training_resumes_to_the_same_weights(server, tmp_path):
    expected = reference_result(tmp_path)
    out = tmp_path / "supervised"
    out.mkdir()
    cmd = [binary_path(), "run", "--server", server.url, "--cloud", "none", "--max-restarts", "2",
           "--restart-backoff", "0.2", "-e", "digits", "--", "/usr/bin/python3", SCRIPT, str(out), "{resume}"]
    proc = subprocess.Popen(cmd, cwd=out, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=job_env())
    progress = out / "progress"
    wait_for_epoch(progress, 12, proc)
    os.kill(int((out / "pid").read_text()), signal.SIGKILL)  # from outside, mid-epoch
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    assert "resumed after epoch" in stdout, stdout

    result = json.loads((out / "result.json").read_text())
    assert result["sha256"] == expected["sha256"]
    assert result["accuracy"] == expected["accuracy"]
    assert result["accuracy"] > 0.8

    epochs = [int(l.split()[1]) for l in progress.read_text().splitlines()]
    assert sorted(set(epochs)) == list(range(EPOCHS))
    repeated = len(epochs) - len(set(epochs))
    assert repeated <= 1, epochs  # at most the one epoch (the checkpoint interval) the kill interrupted

    run = v1_run(server.url, run_id_from(stderr))
    assert run["status"] == "FINISHED"
    assert [a["end_cause"] for a in run["attempts"]] == ["crashed", "finished"]
    r = requests.get(server.url + "/api/2.0/mlflow/metrics/get-history",
                     params={"run_id": run["id"], "metric_key": "train_loss"}, timeout=30)
    assert sorted({m["step"] for m in r.json()["metrics"]}) == list(range(EPOCHS))


def test_training_with_the_server_stopped_for_a_while_delivers_every_metric(fixed_server, tmp_path):
    out = tmp_path / "offline"
    out.mkdir()
    cmd = [binary_path(), "run", "--server", fixed_server.url, "--cloud", "none", "--sample-interval", "0.2",
           "--", "/usr/bin/python3", SCRIPT, str(out), "{resume}"]
    proc = subprocess.Popen(cmd, cwd=out, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=job_env())
    wait_for_epoch(out / "progress", 4, proc)
    fixed_server.stop()
    wait_for_epoch(out / "progress", 12, proc)
    fixed_server.start()
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    run = v1_run(fixed_server.url, run_id_from(stderr))
    assert run["status"] == "FINISHED"
    r = requests.get(fixed_server.url + "/api/2.0/mlflow/metrics/get-history",
                     params={"run_id": run["id"], "metric_key": "train_loss"}, timeout=30)
    steps = sorted(m["step"] for m in r.json()["metrics"])
    assert steps == list(range(EPOCHS)), steps  # every epoch, none twice
    assert "test_accuracy" in run["metrics"]
    r = requests.get(fixed_server.url + "/api/2.0/mlflow/metrics/get-history",
                     params={"run_id": run["id"], "metric_key": "system/process_rss_megabytes"}, timeout=30)
    sys_steps = sorted(m["step"] for m in r.json()["metrics"])
    assert sys_steps and sys_steps == list(range(len(sys_steps))), sys_steps
