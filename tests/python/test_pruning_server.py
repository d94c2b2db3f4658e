"""Server-side early stopping against Debian's python3-optuna: an experiment's pruner judges its
runs as Optuna judges the same study's trials (docs/pruning.md), through the native metric
endpoint's answer and through should-stop; `mlcost run` stops a plain MLflow job the pruner
condemns."""
import json
import random
import subprocess

import optuna
import pytest
import requests

from conftest import binary_path, unique

optuna.logging.set_verbosity(optuna.logging.ERROR)


def v1_experiment(server, name):
    r = server.post("/api/v1/experiments", json={"name": name})
    assert r.status_code in (200, 201), r.text
    return r.json()["id"]


def v1_run(server, exp_id):
    r = server.post("/api/v1/runs", json={"experiment_id": exp_id})
    assert r.status_code in (200, 201), r.text
    return r.json()["id"]


def log(server, run_id, key, value, step):
    # json.dumps writes NaN as a bare token, which the server accepts (as MLflow's Python client sends it).
    body = json.dumps({"metrics": [{"key": key, "value": value, "step": step}]})
    r = server.post("/api/v1/runs/%s/metrics" % run_id, data=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    return r.json()


def finish(server, run_id, status="FINISHED"):
    r = requests.patch(server.url + "/api/v1/runs/" + run_id, json={"status": status}, timeout=30)
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("config,direction", [
    ({"type": "median", "params": {"n_startup_trials": 2, "n_warmup_steps": 1}}, "minimize"),
    ({"type": "percentile", "params": {"percentile": 25.0, "n_startup_trials": 1, "interval_steps": 2}}, "maximize"),
    ({"type": "threshold", "params": {"upper": 0.9}}, "minimize"),
])
def test_decisions_equal_optunas_on_the_same_study(server, config, direction):
    rng = random.Random(7)
    name = unique("prune")
    exp_id = v1_experiment(server, name)
    r = requests.put(server.url + "/api/v1/experiments/%s/pruner" % exp_id,
                     json=dict(config, metric="val", direction=direction), timeout=30)
    assert r.status_code == 200, r.text
    assert r.json()["metric"] == "val" and r.json()["type"] == config["type"]

    pruner = {"median": lambda p: optuna.pruners.MedianPruner(**p),
              "percentile": lambda p: optuna.pruners.PercentilePruner(**p),
              "threshold": lambda p: optuna.pruners.ThresholdPruner(**p)}[config["type"]](config["params"])
    study = optuna.create_study(study_name=name, direction=direction, pruner=pruner)
    compared, prunes = 0, 0
    for t in range(8):
        run_id = v1_run(server, exp_id)
        trial = study.ask()
        pruned = False
        for step in range(10):
            value = rng.choice([rng.random(), rng.random(), float("nan"), 0.5])
            trial.report(value, step)
            expected = trial.should_prune()
            answer = log(server, run_id, "val", value, step)["should_stop"]
            assert answer["stop"] == expected, (t, step, value, answer)
            assert answer["pruner"] == config["type"]
            compared += 1
            if expected:
                pruned = True
                prunes += 1
                break
        if pruned:
            study.tell(trial, state=optuna.trial.TrialState.PRUNED)
            r = requests.get(server.url + "/api/v1/runs/%s/should-stop" % run_id, timeout=30)
            assert r.json()["stop"] is True and config["type"] in r.json()["reason"]
            finish(server, run_id, "KILLED")
        else:
            study.tell(trial, 0.0)
            finish(server, run_id, "FINISHED")
    assert compared >= 20 and 0 < prunes < compared, (compared, prunes)  # both answers were compared


def test_bad_pruner_configs_are_clear_400s(server):
    exp_id = v1_experiment(server, unique("prune-bad"))
    url = server.url + "/api/v1/experiments/%s/pruner" % exp_id
    r = requests.put(url, json={"type": "median"}, timeout=30)
    assert r.status_code == 400 and "'metric'" in r.json()["message"], r.text
    r = requests.put(url, json={"metric": "m", "type": "percentile", "params": {"percentile": 101}}, timeout=30)
    assert r.status_code == 400 and "Percentile must be between 0 and 100" in r.json()["message"], r.text
    r = requests.put(url, json={"metric": "m", "type": "mystery"}, timeout=30)
    assert r.status_code == 400, r.text
    assert requests.get(url, timeout=30).status_code == 404
    assert requests.put(server.url + "/api/v1/experiments/999999/pruner", json={"metric": "m", "type": "median"},
                        timeout=30).status_code == 404


def test_mlcost_run_stops_a_plain_mlflow_job_the_pruner_condemns(server, tmp_path):
    name = unique("prune-run")
    exp_id = v1_experiment(server, name)
    r = requests.put(server.url + "/api/v1/experiments/%s/pruner" % exp_id,
                     json={"metric": "loss", "type": "median", "params": {"n_startup_trials": 1}}, timeout=30)
    assert r.status_code == 200, r.text
    good = v1_run(server, exp_id)
    for step in range(5):
        log(server, good, "loss", 0.1, step)
    finish(server, good)
    # The job logs with MLflow's REST API only (log-metric), knowing nothing of pruning.
    job = tmp_path / "job.py"
    job.write_text(
        "import json, os, time, urllib.request\n"
        "uri, run = os.environ['MLFLOW_TRACKING_URI'], os.environ['MLFLOW_RUN_ID']\n"
        "for step in range(600):\n"
        "    body = json.dumps({'run_id': run, 'key': 'loss', 'value': 5.0, 'step': step, 'timestamp': 0}).encode()\n"
        "    urllib.request.urlopen(urllib.request.Request(uri + '/api/2.0/mlflow/runs/log-metric', body,\n"
        "                           {'Content-Type': 'application/json'}))\n"
        "    time.sleep(0.1)\n")
    p = subprocess.run([binary_path(), "run", "--server", server.url, "--cloud", "none", "--prune-poll", "0.2",
                        "-e", name, "--", "/usr/bin/python3", str(job)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 128 + 15, p.stderr  # SIGTERM
    assert "median pruner" in p.stderr, p.stderr
    run_id = p.stderr.split("mlcost run: run ")[1].split(" ")[0]
    run = requests.get(server.url + "/api/v1/runs/" + run_id, timeout=30).json()
    assert run["status"] == "KILLED"
    assert [a["end_cause"] for a in run["attempts"]] == ["pruned"]
    assert run["tags"]["mlcost.state"] == "PRUNED"
    assert "median pruner" in run["tags"]["mlcost.stop_reason"]


def test_the_pruner_command_sets_shows_refuses_and_clears(server):
    name = unique("prune-cli")
    v1_experiment(server, name)

    def cli(*args):
        return subprocess.run([binary_path(), "pruner", *args, "--server", server.url], capture_output=True, text=True,
                              timeout=60)

    p = cli("set", name, "--metric", "val_acc", "--direction", "maximize", "--type", "patient",
            "--param", "patience=2", "--wrapped", '{"type": "median", "params": {"n_startup_trials": 4}}')
    assert p.returncode == 0, p.stderr
    shown = json.loads(cli("show", name, "--json").stdout)
    assert shown["type"] == "patient" and shown["params"]["patience"] == 2 and shown["direction"] == "maximize"
    assert shown["wrapped"]["type"] == "median" and shown["wrapped"]["params"]["n_startup_trials"] == 4
    bad = cli("set", name, "--metric", "m", "--type", "patient", "--param", "patience=-1")
    assert bad.returncode == 2 and "patience" in bad.stderr, bad.stderr
    assert json.loads(cli("show", name, "--json").stdout) == shown  # a refused set changes nothing
    assert cli("clear", name).returncode == 0
    gone = cli("show", name)
    assert gone.returncode == 1 and "has no pruner" in gone.stderr


def test_a_metric_that_never_arrives_never_prunes_and_a_repeated_step_keeps_its_first_value(server):
    exp_id = v1_experiment(server, unique("prune-edge"))
    r = requests.put(server.url + "/api/v1/experiments/%s/pruner" % exp_id,
                     json={"metric": "val", "type": "median", "params": {"n_startup_trials": 1}}, timeout=30)
    assert r.status_code == 200, r.text
    done = v1_run(server, exp_id)
    log(server, done, "val", 0.5, 0)
    finish(server, done)

    silent = v1_run(server, exp_id)
    log(server, silent, "other", 99.0, 0)  # not the judged metric
    answer = requests.get(server.url + "/api/v1/runs/%s/should-stop" % silent, timeout=30).json()
    assert answer["stop"] is False and "no value reported yet" in answer["reason"], answer

    # Optuna ignores a second report at a step: a worse value logged again at step 0 does not
    # condemn a run whose first value there was better than the median.
    repeat = v1_run(server, exp_id)
    assert log(server, repeat, "val", 0.1, 0)["should_stop"]["stop"] is False
    assert log(server, repeat, "val", 0.9, 0)["should_stop"]["stop"] is False
    answer = requests.get(server.url + "/api/v1/runs/%s/should-stop" % repeat, timeout=30).json()
    assert answer["stop"] is False, answer
    # ... while a run whose first value was worse is pruned.
    worse = v1_run(server, exp_id)
    assert log(server, worse, "val", 0.9, 0)["should_stop"]["stop"] is True
