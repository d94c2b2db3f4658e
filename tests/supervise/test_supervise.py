"""`mlcost run` supervision against the real server: restarts and their causes, resuming from the
newest committed checkpoint, a child that ignores SIGTERM, spot preemption notices from a local
metadata service, an unreachable or restarting server (the spool), and an S3 checkpoint store
(s3rver). docs/run.md describes the behaviour tested here."""
import json
import os
import signal
import subprocess
import time

import requests

from conftest import binary_path, mlcost_run, run_id_from, unique, v1_run

# A job that knows nothing of mlcost but the environment: it prints what it resumes from, writes a
# checkpoint the usual way (temp file + rename), and fails on the attempts listed in FAIL_ON.
JOB = r"""
import os, sys, time
attempt = int(os.environ["MLCOST_ATTEMPT"])
resume = os.environ["MLCOST_RESUME_FROM"]
arg = sys.argv[1] if len(sys.argv) > 1 else ""
state = int(open(resume).read()) if resume else 0
print("attempt=%d resume=%s arg=%s state=%d" % (attempt, resume, arg, state), flush=True)
ckdir = os.environ["MLCOST_CHECKPOINT_DIR"]
state += 10
tmp = os.path.join(ckdir, ".step-%d.tmp" % state)
with open(tmp, "w") as f:
    f.write(str(state))
os.rename(tmp, os.path.join(ckdir, "step-%d.ckpt" % state))
time.sleep(float(os.environ.get("JOB_SLEEP", "1.5")))  # long enough for the agent to commit it
how = os.environ.get("FAIL_HOW", "exit")
if str(attempt) in os.environ.get("FAIL_ON", "").split(","):
    if how == "segv":
        os.kill(os.getpid(), 11)
    sys.exit(int(os.environ.get("FAIL_CODE", "3")))
print("done state=%d" % state, flush=True)
"""


def write_job(tmp_path):
    path = tmp_path / "job.py"
    path.write_text(JOB)
    return str(path)


def env_with(**kw):
    e = dict(os.environ)
    e.update({k: str(v) for k, v in kw.items()})
    return e


def attempts(run):
    return [(a["attempt"], a["end_cause"]) for a in run["attempts"]]


def test_restart_resumes_from_the_newest_committed_checkpoint(server, tmp_path):
    job = write_job(tmp_path)
    p = mlcost_run(server.url, ["--max-restarts", "2", "--restart-backoff", "0.1", "-e", unique("sup")], tmp_path,
                   ["/usr/bin/python3", job, "{resume}"], env=env_with(FAIL_ON="1,2"))
    assert p.returncode == 0, p.stderr
    lines = [l for l in p.stdout.splitlines() if l.startswith("attempt=")]
    assert len(lines) == 3, p.stdout
    assert lines[0].startswith("attempt=1 resume= arg= state=0")
    # Attempt 2 resumes from attempt 1's checkpoint (state 10), attempt 3 from attempt 2's (20):
    # the path is both in MLCOST_RESUME_FROM and substituted for {resume}.
    assert "state=10" in lines[1] and lines[1].split("resume=")[1].split(" ")[0].endswith("step-10.ckpt"), lines[1]
    assert lines[1].split("resume=")[1].split(" arg=")[0] == lines[1].split("arg=")[1].split(" ")[0]
    assert "state=20" in lines[2] and "step-20.ckpt" in lines[2], lines[2]
    assert "done state=30" in p.stdout
    run = v1_run(server.url, run_id_from(p.stderr))
    assert run["status"] == "FINISHED"
    assert attempts(run) == [(1, "failed"), (2, "failed"), (3, "finished")]
    assert all(a["duration_seconds"] >= 1 for a in run["attempts"]), run["attempts"]
    assert run["tags"]["mlcost.attempts"] == "3"
    # Every checkpoint is in the run's store, with a manifest naming its step.
    store = tmp_path / ".mlcost" / "store" / run["id"]
    manifests = sorted(json.loads((d / "MANIFEST.json").read_text())["step"] for d in store.iterdir())
    assert manifests == [10, 20, 30]


def test_restarts_run_out_and_the_run_fails_with_every_attempt_recorded(server, tmp_path):
    job = write_job(tmp_path)
    p = mlcost_run(server.url, ["--max-restarts", "1", "--restart-backoff", "0"], tmp_path,
                   ["/usr/bin/python3", job], env=env_with(FAIL_ON="1,2", FAIL_CODE=5, JOB_SLEEP=0.1))
    assert p.returncode == 5, p.stderr
    run = v1_run(server.url, run_id_from(p.stderr))
    assert run["status"] == "FAILED"
    assert attempts(run) == [(1, "failed"), (2, "failed")]
    assert "2 attempts" in p.stderr and "not restarting" in p.stderr, p.stderr


def test_retry_on_exit_limits_which_codes_restart_and_crashes_always_do(server, tmp_path):
    job = write_job(tmp_path)
    p = mlcost_run(server.url, ["--max-restarts", "3", "--restart-backoff", "0", "--retry-on-exit", "75"], tmp_path,
                   ["/usr/bin/python3", job], env=env_with(FAIL_ON="1", FAIL_CODE=4, JOB_SLEEP=0.1))
    assert p.returncode == 4
    assert attempts(v1_run(server.url, run_id_from(p.stderr))) == [(1, "failed")]
    p = mlcost_run(server.url, ["--max-restarts", "3", "--restart-backoff", "0", "--retry-on-exit", "75"], tmp_path,
                   ["/usr/bin/python3", job], env=env_with(FAIL_ON="1", FAIL_HOW="segv", JOB_SLEEP=0.1))
    assert p.returncode == 0, p.stderr
    assert attempts(v1_run(server.url, run_id_from(p.stderr))) == [(1, "crashed"), (2, "finished")]


def test_a_command_that_cannot_run_is_not_retried(server, tmp_path):
    p = mlcost_run(server.url, ["--max-restarts", "3"], tmp_path, ["mlcost-no-such-command-xyz"])
    assert p.returncode == 127
    assert 'cannot start "mlcost-no-such-command-xyz"' in p.stderr
    assert p.stderr.count("restarting") == 0


def test_the_users_sigterm_stops_without_restart_and_a_deaf_child_is_killed(server, tmp_path):
    # The job ignores SIGTERM; after --stop-grace the agent sends SIGKILL.
    ready = tmp_path / "ready"
    cmd = [binary_path(), "run", "--server", server.url, "--cloud", "none", "--max-restarts", "2",
           "--stop-grace", "1", "--", "/bin/sh", "-c", "trap '' TERM; touch %s; while :; do sleep 0.1; done" % ready]
    proc = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready.exists()
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGKILL, err
    assert "did not stop after SIGTERM; sending SIGKILL" in err
    run = v1_run(server.url, run_id_from(err))
    assert run["status"] == "KILLED"
    assert attempts(run) == [(1, "interrupted")]


PREEMPTIBLE_JOB = r"""
import os, signal, sys, time
ckdir = os.environ["MLCOST_CHECKPOINT_DIR"]
resume = os.environ["MLCOST_RESUME_FROM"]
print("resume=" + resume, flush=True)
if resume:
    print("resumed state=" + open(resume).read(), flush=True)
    sys.exit(0)
def on_term(sig, frame):
    with open(os.path.join(ckdir, "emergency.tmp"), "w") as f:
        f.write("emergency-42")
    os.rename(os.path.join(ckdir, "emergency.tmp"), os.path.join(ckdir, "emergency-42.ckpt"))
    sys.exit(143)
signal.signal(signal.SIGTERM, on_term)
open(os.environ["READY_FILE"], "w").close()
while True:
    time.sleep(0.1)
"""


def test_spot_preemption_checkpoints_and_resume_continues_on_another_machine(server, tmp_path, metadata_factory):
    for cloud in ("aws", "gcp", "azure"):
        meta = metadata_factory(cloud)
        job = tmp_path / "preemptible.py"
        job.write_text(PREEMPTIBLE_JOB)
        shared_store = tmp_path / ("shared-" + cloud)
        machine_a = tmp_path / (cloud + "-a")
        machine_b = tmp_path / (cloud + "-b")
        machine_a.mkdir()
        machine_b.mkdir()
        ready = tmp_path / (cloud + ".ready")
        cmd = [binary_path(), "run", "--server", server.url, "--cloud", "auto", "--metadata-url", meta.url,
               "--preemption-poll", "0.1", "--preemption-grace", "20", "--checkpoint-dir", str(shared_store),
               "--max-restarts", "3", "--", "/usr/bin/python3", str(job)]
        proc = subprocess.Popen(cmd, cwd=machine_a, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env_with(READY_FILE=ready))
        deadline = time.monotonic() + 30
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists(), proc.stderr.read() if proc.poll() is not None else "job not ready"
        meta.preempt = True
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 143, err
        assert "%s preemption notice" % cloud in err, err
        run_id = run_id_from(err)
        run = v1_run(server.url, run_id)
        assert run["status"] == "KILLED"
        assert attempts(run) == [(1, "preempted")], run["attempts"]  # not restarted on a dying machine
        assert run["tags"]["mlcost.state"] == "PREEMPTED"
        assert (shared_store / run_id / "emergency-42.ckpt" / "MANIFEST.json").exists()

        # "Another machine": another directory, the same store; the run continues from the
        # emergency checkpoint as attempt 2.
        p = subprocess.run([binary_path(), "run", "--server", server.url, "--cloud", "none", "--resume", run_id,
                            "--checkpoint-dir", str(shared_store), "--", "/usr/bin/python3", str(job)],
                           cwd=machine_b, capture_output=True, text=True, timeout=60)
        assert p.returncode == 0, p.stderr
        assert "resumed state=emergency-42" in p.stdout, p.stdout
        run = v1_run(server.url, run_id)
        assert run["status"] == "FINISHED"
        assert attempts(run) == [(1, "preempted"), (2, "finished")]


def test_a_hanging_metadata_service_does_not_disturb_the_job(server, tmp_path, metadata_factory):
    meta = metadata_factory("aws")
    meta.hang = True
    p = mlcost_run(server.url, ["--cloud", "aws", "--metadata-url", meta.url, "--preemption-poll", "0.2"], tmp_path,
                   ["/bin/sh", "-c", "sleep 2; echo finished-fine"])
    assert p.returncode == 0, p.stderr
    assert "finished-fine" in p.stdout
    assert "aws metadata service at %s did not answer" % meta.url in p.stderr, p.stderr
    assert meta.requests >= 1
    assert v1_run(server.url, run_id_from(p.stderr))["status"] == "FINISHED"


def test_server_down_at_the_end_then_flush_delivers_everything_in_order(fixed_server, server, tmp_path):
    job = tmp_path / "logger.sh"
    # Runs ~3 s (several sampling windows); the server is stopped while it runs.
    job.write_text("#!/bin/sh\necho $MLCOST_RUN_ID > run_id\nsleep 3\nexit 0\n")
    job.chmod(0o755)
    cmd = [binary_path(), "run", "--server", fixed_server.url, "--cloud", "none", "--sample-interval", "0.1",
           "--drain-timeout", "1", "--", str(job)]
    proc = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not (tmp_path / "run_id").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    fixed_server.stop()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err  # the job's exit code, not the server's absence
    run_id = (tmp_path / "run_id").read_text().strip()
    assert "updates of run %s are kept in" % run_id in err, err
    spool = tmp_path / ".mlcost" / "runs" / run_id / "spool" / "events.jsonl"
    pending = [json.loads(l) for l in spool.read_text().splitlines()]
    assert pending, "nothing was spooled"
    # The spool is ordered: sequence numbers increase and the attempt's end comes last.
    assert [e["seq"] for e in pending] == sorted(e["seq"] for e in pending)
    assert pending[-1]["path"] == "/api/2.0/mlflow/runs/log-batch"  # exit tags after the end
    ends = [e for e in pending if e["method"] == "PATCH"]
    assert ends and ends[-1]["body"]["end_cause"] == "finished"

    # Another run here against another server leaves this run's spool alone (its run is not there).
    other = subprocess.run([binary_path(), "run", "--server", server.url, "--cloud", "none", "--", "true"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert other.returncode == 0, other.stderr
    assert [json.loads(l) for l in spool.read_text().splitlines()] == pending

    fixed_server.start()
    # No --server: each spool goes to the server its run was started against.
    f = subprocess.run([binary_path(), "flush"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert f.returncode == 0, f.stderr
    assert "left 0" in f.stdout and "rejected 0" in f.stdout, f.stdout
    assert not spool.exists()
    run = v1_run(fixed_server.url, run_id)
    assert run["status"] == "FINISHED"
    assert attempts(run) == [(1, "finished")]
    # The attempt's times are the agent's, not the delivery's: it lasted ~3 s, not until the flush.
    assert 2 <= run["attempts"][0]["duration_seconds"] <= 10, run["attempts"]
    r = requests.get(fixed_server.url + "/api/2.0/mlflow/metrics/get-history",
                     params={"run_id": run_id, "metric_key": "system/cpu_utilization_percentage"}, timeout=30)
    assert r.status_code == 200 and len(r.json().get("metrics", [])) >= 2, r.text


def test_server_restart_mid_run_loses_nothing(fixed_server, tmp_path):
    job = tmp_path / "job.sh"
    job.write_text("#!/bin/sh\necho $MLCOST_RUN_ID > run_id\nsleep 4\nexit 0\n")
    job.chmod(0o755)
    cmd = [binary_path(), "run", "--server", fixed_server.url, "--cloud", "none", "--sample-interval", "0.1", "--",
           str(job)]
    proc = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not (tmp_path / "run_id").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    fixed_server.stop()
    time.sleep(1.5)
    fixed_server.start()
    out, err = proc.communicate(timeout=90)
    assert proc.returncode == 0, err
    assert "server unavailable" in err and "reachable again" in err, err
    run_id = (tmp_path / "run_id").read_text().strip()
    assert not (tmp_path / ".mlcost" / "runs" / run_id / "spool" / "events.jsonl").exists()
    run = v1_run(fixed_server.url, run_id)
    assert run["status"] == "FINISHED"
    r = requests.get(fixed_server.url + "/api/2.0/mlflow/metrics/get-history",
                     params={"run_id": run_id, "metric_key": "system/process_rss_megabytes"}, timeout=30)
    steps = [m["step"] for m in r.json().get("metrics", [])]
    # One point per window, none lost across the outage: steps 0..N-1 without a gap.
    assert steps and sorted(steps) == list(range(len(steps))), steps


def test_checkpoints_on_s3_are_committed_and_fetched_for_the_restart(server, tmp_path, s3rver):
    job = write_job(tmp_path)
    p = mlcost_run(server.url, ["--max-restarts", "1", "--restart-backoff", "0", "--checkpoint-dir",
                                "s3://ckpt/runs"], tmp_path, ["/usr/bin/python3", job, "{resume}"],
                   env=dict(s3rver.env(), FAIL_ON="1"))
    assert p.returncode == 0, p.stderr
    run_id = run_id_from(p.stderr)
    line2 = [l for l in p.stdout.splitlines() if l.startswith("attempt=2")][0]
    resume = line2.split("resume=")[1].split(" ")[0]
    # Downloaded from S3 into the run's resume directory.
    assert resume.startswith(str(tmp_path / ".mlcost" / "runs" / run_id / "resume")), line2
    assert "state=10" in line2
    s3 = s3rver.boto3()
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket="ckpt", Prefix="runs/" + run_id)["Contents"])
    assert "runs/%s/step-10.ckpt/MANIFEST.json" % run_id in keys, keys
    assert "runs/%s/step-20.ckpt/data/step-20.ckpt" % run_id in keys, keys


def test_a_bad_checkpoint_store_is_refused_before_a_run_exists(server, tmp_path):
    p = mlcost_run(server.url, ["--checkpoint-dir", "s3://"], tmp_path, ["/bin/true"])
    assert p.returncode == 2, p.stderr
    assert "--checkpoint-dir" in p.stderr
    assert "mlcost run: run " not in p.stderr


def test_a_signal_during_the_backoff_cancels_the_restart(server, tmp_path):
    marker = tmp_path / "failed-once"
    cmd = [binary_path(), "run", "--server", server.url, "--cloud", "none", "--max-restarts", "3",
           "--restart-backoff", "60", "--", "/bin/sh", "-c", "touch %s; exit 3" % marker]
    proc = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # the attempt has ended; mlcost run waits 60 s before restarting
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)  # well before the backoff would end
    assert "restarting in 1m 00s" in err, err
    assert "interrupted (signal 15) while waiting to restart; not restarting" in err, err
    assert proc.returncode == 3
    run = v1_run(server.url, run_id_from(err))
    assert run["status"] == "FAILED"
    assert attempts(run) == [(1, "failed")]


def test_a_stop_requested_on_the_server_ends_the_job_as_pruned(server, tmp_path):
    ready = tmp_path / "ready"
    cmd = [binary_path(), "run", "--server", server.url, "--cloud", "none", "--prune-poll", "0.2",
           "--max-restarts", "2", "--", "/bin/sh", "-c",
           "echo $MLCOST_RUN_ID > %s; trap 'exit 143' TERM; while :; do sleep 0.1; done" % ready]
    proc = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not (ready.exists() and ready.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.05)
    run_id = ready.read_text().strip()
    assert requests.get(server.url + "/api/v1/runs/%s/should-stop" % run_id, timeout=30).json()["stop"] is False
    r = subprocess.run([binary_path(), "runs", "stop", run_id, "--reason", "team budget exceeded", "--server",
                        server.url], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    assert requests.get(server.url + "/api/v1/runs/%s/should-stop" % run_id, timeout=30).json() == \
        {"stop": True, "finish": False, "reason": "team budget exceeded", "pruner": None}
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert "the server stopped run %s (team budget exceeded)" % run_id in err, err
    run = v1_run(server.url, run_id)
    assert run["status"] == "KILLED"
    assert attempts(run) == [(1, "pruned")]  # not restarted
    assert run["tags"]["mlcost.state"] == "PRUNED"
    assert run["tags"]["mlcost.stop_reason"] == "team budget exceeded"
    again = requests.post(server.url + "/api/v1/runs/%s/stop" % run_id, json={}, timeout=30)
    assert again.status_code == 400 and "not RUNNING" in again.json()["message"], again.text


def test_asha_at_max_t_ends_the_job_as_finished_not_pruned(server, tmp_path):
    # Ray Tune's ASHA says STOP at max_t because the trial used its whole budget: mlcost run ends
    # the job (it would otherwise go on) and records the run FINISHED, exit 0, not PRUNED.
    experiment = unique("asha-max-t")
    created = requests.post(server.url + "/api/2.0/mlflow/experiments/create", json={"name": experiment}, timeout=30)
    assert created.status_code == 200, created.text
    r = subprocess.run([binary_path(), "pruner", "set", experiment, "--server", server.url, "--metric", "m",
                        "--direction", "maximize", "--type", "asha", "--param", "max_t=3",
                        "--param", "grace_period=1"], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr + r.stdout
    job = tmp_path / "steps.py"
    job.write_text("""
import json, os, time, urllib.request
url = os.environ["MLCOST_TRACKING_URI"] + "/api/v1/runs/%s/metrics" % os.environ["MLCOST_RUN_ID"]
for step in (1, 2, 3):
    body = json.dumps({"metrics": [{"key": "m", "value": 0.5 + step, "step": step}]}).encode()
    urllib.request.urlopen(urllib.request.Request(url, data=body, method="POST",
                           headers={"Content-Type": "application/json"}), timeout=30).read()
while True:
    time.sleep(0.1)  # a job that would train on past its budget
""")
    p = mlcost_run(server.url, ["--experiment", experiment, "--prune-poll", "0.2"], tmp_path,
                   ["/usr/bin/python3", str(job)])
    assert p.returncode == 0, p.stderr
    assert "the server completed run " in p.stderr and "max_t" in p.stderr, p.stderr
    run = v1_run(server.url, run_id_from(p.stderr))
    assert run["status"] == "FINISHED"
    assert attempts(run) == [(1, "finished")]
    assert "mlcost.state" not in run["tags"]
    assert "max_t" in run["tags"]["mlcost.stop_reason"]
    answer = requests.get(server.url + "/api/v1/runs/%s/should-stop" % run["id"], timeout=30).json()
    assert answer["stop"] is True and answer["finish"] is True, answer


def test_a_run_over_its_budget_is_stopped_with_the_reason(server, tmp_path):
    # p3.2xlarge is 3.06 USD/h (built-in price): 0.001 USD is spent in about 1.2 s.
    ready = tmp_path / "ready"
    cmd = [binary_path(), "run", "--server", server.url, "--cloud", "none", "--prune-poll", "0.2",
           "--instance-type", "p3.2xlarge", "--tag", "mlcost.region=us-east-1", "--budget", "0.001", "--",
           "/bin/sh", "-c", "echo $MLCOST_RUN_ID > %s; while :; do sleep 0.1; done" % ready]
    p = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert p.returncode == 128 + signal.SIGTERM, p.stderr
    assert "budget: spent " in p.stderr and " of 0.001 USD" in p.stderr, p.stderr
    run = v1_run(server.url, ready.read_text().strip())
    assert run["status"] == "KILLED"
    assert attempts(run) == [(1, "pruned")]
    assert run["tags"]["mlcost.budget"] == "0.001"
    assert run["tags"]["mlcost.stop_reason"].startswith("budget: spent ")


def test_a_run_that_cannot_reach_its_target_within_budget_is_stopped_early(server, tmp_path):
    # 3.06 USD/h; one step every 0.2 s towards step 100000 needs ~5.6 h = ~17 USD: over 1 USD at once.
    job = tmp_path / "steps.py"
    job.write_text(
        "import json, os, time, urllib.request\n"
        "uri, run = os.environ['MLFLOW_TRACKING_URI'], os.environ['MLFLOW_RUN_ID']\n"
        "for step in range(1000):\n"
        "    body = json.dumps({'run_id': run, 'key': 'loss', 'value': 1.0, 'step': step,\n"
        "                       'timestamp': int(time.time() * 1000)}).encode()\n"
        "    urllib.request.urlopen(urllib.request.Request(uri + '/api/2.0/mlflow/runs/log-metric', body,\n"
        "                           {'Content-Type': 'application/json'}))\n"
        "    time.sleep(0.2)\n")
    cmd = [binary_path(), "run", "--server", server.url, "--cloud", "none", "--prune-poll", "0.3",
           "--instance-type", "p3.2xlarge", "--tag", "mlcost.region=us-east-1", "--budget", "1",
           "--target-steps", "100000", "--", "/usr/bin/python3", str(job)]
    p = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert p.returncode == 128 + signal.SIGTERM, p.stderr
    assert "budget: reaching step 100000 would cost" in p.stderr and "over the budget of 1 USD" in p.stderr, p.stderr
