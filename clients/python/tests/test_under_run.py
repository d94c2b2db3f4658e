"""A script using the client under `mlcost run --data-dir`: its metrics, params and checkpoint
land in the run `mlcost run` created (MLCOST_RUN_ID / MLCOST_TRACKING_URI honoured)."""
import os
import subprocess
import textwrap

from conftest import CLIENT_ROOT, metric_history

SCRIPT = textwrap.dedent("""
    import os, mlcost
    print("RUN", os.environ["MLCOST_RUN_ID"])
    mlcost.log_param("lr", 0.1)
    for step in range(300):
        mlcost.log_metric("loss", 1.0 / (step + 1), step=step)
        mlcost.should_stop()
    ckpt = mlcost.checkpoint.save(b"weights", step=299)
    print("CKPT", ckpt.path)
""")


def test_client_logs_into_the_run_mlcost_run_created(mlcost_binary, server_factory, tmp_path):
    data_dir = str(tmp_path / "data")
    server_factory.start(data_dir=data_dir).stop()  # `mlcost run --data-dir` wants an existing one
    script = tmp_path / "train.py"
    script.write_text(SCRIPT)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLCOST_", "MLFLOW_"))}
    env["PYTHONPATH"] = os.path.join(CLIENT_ROOT, "src")
    done = subprocess.run([mlcost_binary, "run", "--data-dir", data_dir, "--name", "under-run", "--",
                           "/usr/bin/python3", str(script)], capture_output=True, text=True, env=env,
                          cwd=str(tmp_path), timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if line.startswith(("RUN ", "CKPT ")))
    run_id = lines["RUN"]
    assert os.path.dirname(lines["CKPT"]) == os.path.join(str(tmp_path), ".mlcost", "runs", run_id, "checkpoints")
    assert os.path.basename(lines["CKPT"]) == "step-000299.ckpt"

    srv = server_factory.start(data_dir=data_dir)
    run = srv.mlflow_get("runs/get", {"run_id": run_id}).json()["run"]
    assert run["info"]["run_name"] == "under-run"
    assert run["info"]["status"] == "FINISHED"
    assert {p["key"]: p["value"] for p in run["data"]["params"]} == {"lr": "0.1"}
    assert sorted(p["step"] for p in metric_history(srv, run_id, "loss")) == list(range(300))
