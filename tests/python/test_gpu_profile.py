"""`mlcost run` sampling and the GPU profile (docs/run.md): a real command under `mlcost run` with
the fake NVML library built by the tests (tests/fake_nvml), then the run's per-GPU series, its
machine tags, GET /api/v1/runs/{id}/gpu-profile and `mlcost runs show`; and the same without NVML."""
import json
import os
import subprocess
from decimal import Decimal

from conftest import binary_path, unique

RUN_TIMEOUT_S = 60
# ~3 s of CPU work, so the sampler at 0.2 s fills several 5-sample windows.
BUSY = ["/usr/bin/python3", "-c",
        "import time\nend = time.monotonic() + 3\nwhile time.monotonic() < end: pass\n"]

# GPU 0 is idle (3 %) with 6000 of 40960 MiB used: the idle and memory-headroom findings.
# GPU 1 is busy (95 %, almost full): no finding. The two must never be averaged.
SCRIPT = """
gpu 0 name=A100-SXM4-40GB util=3 mem_used=6000 mem_total=40960 power=60000 energy=1000000 proc_util=2 proc_mem=5000
gpu 1 name=H100-80GB util=95 mem_used=78000 mem_total=81920 power=650000 energy=5000000
gpu 0 util=4 energy=1060000
gpu 1 energy=5650000
"""


def fake_nvml_path():
    path = os.path.join(os.path.dirname(binary_path()), "tests", "fake_nvml", "libfake_nvml.so")
    assert os.path.exists(path), "build the fake_nvml target (tests/fake_nvml) first: %s" % path
    return path


def mlcost_run(srv_url, args, cwd, env_extra):
    env = dict(os.environ, **env_extra)
    cmd = [binary_path(), "run", "--server", srv_url, *args, "--", *BUSY]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=RUN_TIMEOUT_S,
                          stdin=subprocess.DEVNULL, env=env)


def run_id_of(srv, experiment):
    r = srv.mlflow_get("experiments/get-by-name", {"experiment_name": experiment})
    assert r.status_code == 200, r.text
    exp_id = r.json()["experiment"]["experiment_id"]
    r = srv.mlflow_post("runs/search", {"experiment_ids": [exp_id]})
    runs = r.json()["runs"]
    assert len(runs) == 1, runs
    return runs[0]["info"]["run_id"], runs[0]


def history(srv, run_id, key):
    r = srv.mlflow_get("metrics/get-history", {"run_id": run_id, "metric_key": key})
    assert r.status_code == 200, r.text
    return [m["value"] for m in r.json().get("metrics", [])]


def test_fake_gpus_give_per_gpu_series_and_the_scripted_findings(server, tmp_path):
    script = tmp_path / "nvml.txt"
    script.write_text(SCRIPT)
    name = unique("gpu")
    p = mlcost_run(server.url, ["--experiment", name, "--sample-interval", "0.2", "--instance-type", "p4d.24xlarge"],
                   tmp_path, {"MLCOST_NVML_LIBRARY": fake_nvml_path(), "FAKE_NVML_SCRIPT": str(script)})
    assert p.returncode == 0, p.stderr
    assert "warning" not in p.stderr, p.stderr
    run_id, run = run_id_of(server, name)
    tags = {t["key"]: t["value"] for t in run["data"]["tags"]}
    assert tags["mlcost.gpu_names"] == "A100-SXM4-40GB, H100-80GB"
    assert tags["mlcost.gpu_count"] == "2"
    assert int(tags["mlcost.cpu_count"]) >= 1

    util0 = history(server, run_id, "system/gpu_0_utilization_percentage")
    util1 = history(server, run_id, "system/gpu_1_utilization_percentage")
    assert len(util0) >= 3 and len(util1) == len(util0)
    assert all(3 <= v <= 4 for v in util0), util0
    assert all(v == 95 for v in util1), util1  # per GPU, never averaged with GPU 0
    assert set(history(server, run_id, "system/gpu_1_memory_total_megabytes")) == {81920}
    assert max(history(server, run_id, "system/gpu_0_memory_usage_megabytes")) == 6000
    assert set(history(server, run_id, "system/gpu_0_power_usage_watts")) == {60}
    assert max(history(server, run_id, "system/gpu_1_energy_joules")) == 650  # since the first sample
    # The fake attributes 2 % to each live direct child of mlcost: the command is one (a window
    # holding a sample taken after it exited averages in a 0).
    proc = history(server, run_id, "system/gpu_0_process_utilization_percentage")
    assert max(proc) == 2 and min(proc) >= 0, proc
    assert max(history(server, run_id, "system/cpu_utilization_percentage")) > 0
    assert max(history(server, run_id, "system/process_rss_megabytes")) > 0

    r = server.get("/api/v1/runs/%s/gpu-profile" % run_id)
    assert r.status_code == 200, r.text
    profile = r.json()
    assert [g["name"] for g in profile["gpus"]] == ["A100-SXM4-40GB", "H100-80GB"]
    gpu0, gpu1 = profile["gpus"]
    kinds0 = {f["kind"]: f for f in gpu0["findings"]}
    assert set(kinds0) == {"idle", "memory_headroom"}, gpu0
    assert kinds0["idle"]["share"] == 1
    cost = Decimal(profile["cost"])
    assert cost > 0
    # Idle the whole time: the whole of GPU 0's half of the run cost.
    assert Decimal(kinds0["idle"]["money_impact"]) == Decimal(gpu0["cost_share"])
    assert abs(Decimal(gpu0["cost_share"]) * 2 - cost) < Decimal("1e-11")
    assert "16 GB" in kinds0["memory_headroom"]["message"]
    assert gpu1["findings"] == [], gpu1

    show = subprocess.run([binary_path(), "runs", "show", run_id, "--server", server.url],
                          capture_output=True, text=True, timeout=30)
    assert show.returncode == 0, show.stderr
    assert "GPU 0 A100-SXM4-40GB" in show.stdout and "- idle:" in show.stdout, show.stdout
    assert "GPU 1 H100-80GB" in show.stdout and "no findings" in show.stdout, show.stdout
    shown = subprocess.run([binary_path(), "runs", "show", run_id, "--server", server.url, "--json"],
                           capture_output=True, text=True, timeout=30)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["gpu_profile"]["gpus"][0]["findings"] == gpu0["findings"]


def test_without_nvml_there_are_no_gpu_series_and_no_error(server, tmp_path):
    name = unique("nogpu")
    p = mlcost_run(server.url, ["--experiment", name, "--sample-interval", "0.2"], tmp_path,
                   {"MLCOST_NVML_LIBRARY": str(tmp_path / "no-such-libnvidia-ml.so.1")})
    assert p.returncode == 0, p.stderr
    assert "warning" not in p.stderr, p.stderr
    # One line says why, since the library was named; the run itself is unaffected.
    notes = [line for line in p.stderr.splitlines() if "note: no GPU series" in line]
    assert len(notes) == 1 and "no-such-libnvidia-ml.so.1" in notes[0], p.stderr
    run_id, run = run_id_of(server, name)
    keys = {m["key"] for m in run["data"].get("metrics", [])}
    assert "system/cpu_utilization_percentage" in keys and "system/process_rss_megabytes" in keys, keys
    assert not [k for k in keys if k.startswith("system/gpu_")], keys
    tags = {t["key"]: t["value"] for t in run["data"]["tags"]}
    assert "mlcost.gpu_names" not in tags and "mlcost.gpu_count" not in tags
    profile = server.get("/api/v1/runs/%s/gpu-profile" % run_id).json()
    assert profile["gpus"] == [] and profile["note"], profile
    show = subprocess.run([binary_path(), "runs", "show", run_id, "--server", server.url],
                          capture_output=True, text=True, timeout=30)
    assert show.returncode == 0 and "GPU profile: none" in show.stdout, show.stdout + show.stderr


def test_sample_interval_zero_turns_sampling_off_and_a_bad_one_is_a_usage_error(server, tmp_path):
    name = unique("nosample")
    p = mlcost_run(server.url, ["--experiment", name, "--sample-interval", "0"], tmp_path, {})
    assert p.returncode == 0, p.stderr
    _, run = run_id_of(server, name)
    assert not [m for m in run["data"].get("metrics", []) if m["key"].startswith("system/")]
    bad = mlcost_run(server.url, ["--sample-interval", "-1"], tmp_path, {})
    assert bad.returncode == 2 and "sample-interval" in bad.stderr, bad.stderr


def test_gpu_profile_of_an_unknown_run_is_404(server):
    r = server.get("/api/v1/runs/%s/gpu-profile" % ("0" * 32))
    assert r.status_code == 404, r.text
