"""Pruner parity: mlcost's pruners decide exactly as Debian's python3-optuna on the same studies.

Randomized studies (seeded) are driven through Optuna: trials are created with study.ask(),
report intermediate values (NaN, ±inf, ties from rounding, repeated and out-of-order steps,
strided steps), and after each report a *fresh* pruner decides with
``pruner.prune(study, study._storage.get_trial(trial_id))`` exactly as Optuna's own tests do.
A pruned trial ends PRUNED; the rest end COMPLETE or FAIL. The event log is then replayed
through mlcost-pruner-eval and every decision is compared.
"""

import json
import math
import os
import random
import subprocess
import warnings

import optuna
import pytest
from optuna.trial import TrialState

optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.filterwarnings("ignore")

EVAL = os.environ.get("MLCOST_PRUNER_EVAL", "")

# (name, config) — params use Optuna's constructor argument names.
CONFIGS = [
    ("median-defaults", {"type": "median"}),
    ("median-0-0-1", {"type": "median", "params": {"n_startup_trials": 0}}),
    ("median-3-5-3-min2", {"type": "median", "params": {
        "n_startup_trials": 3, "n_warmup_steps": 5, "interval_steps": 3, "n_min_trials": 2}}),
    ("median-0-2-4-min3", {"type": "median", "params": {
        "n_startup_trials": 0, "n_warmup_steps": 2, "interval_steps": 4, "n_min_trials": 3}}),
    ("percentile-25", {"type": "percentile", "params": {"percentile": 25.0, "n_startup_trials": 0}}),
    ("percentile-75-2-3-2", {"type": "percentile", "params": {
        "percentile": 75.0, "n_startup_trials": 2, "n_warmup_steps": 3, "interval_steps": 2,
        "n_min_trials": 2}}),
    ("percentile-0", {"type": "percentile", "params": {"percentile": 0, "n_startup_trials": 1}}),
    ("percentile-100", {"type": "percentile", "params": {"percentile": 100, "n_startup_trials": 1}}),
    ("percentile-33.3", {"type": "percentile", "params": {"percentile": 33.3, "n_startup_trials": 4}}),
    ("sh-defaults", {"type": "successive_halving"}),
    ("sh-1-2", {"type": "successive_halving", "params": {"min_resource": 1, "reduction_factor": 2}}),
    ("sh-2-3-rate1", {"type": "successive_halving", "params": {
        "min_resource": 2, "reduction_factor": 3, "min_early_stopping_rate": 1}}),
    ("sh-1-2-boot2", {"type": "successive_halving", "params": {
        "min_resource": 1, "reduction_factor": 2, "bootstrap_count": 2}}),
    ("sh-1-4", {"type": "successive_halving", "params": {"min_resource": 1}}),
    ("hyperband-defaults", {"type": "hyperband"}),
    ("hyperband-1-30-3", {"type": "hyperband", "params": {"min_resource": 1, "max_resource": 30}}),
    ("hyperband-2-40-2", {"type": "hyperband", "params": {
        "min_resource": 2, "max_resource": 40, "reduction_factor": 2}}),
    ("hyperband-1-20-3-boot1", {"type": "hyperband", "params": {
        "min_resource": 1, "max_resource": 20, "bootstrap_count": 1}}),
    ("hyperband-auto-2", {"type": "hyperband", "params": {"reduction_factor": 2}}),
    ("threshold-lower", {"type": "threshold", "params": {"lower": 0.2}}),
    ("threshold-upper-3-2", {"type": "threshold", "params": {
        "upper": 0.8, "n_warmup_steps": 3, "interval_steps": 2}}),
    ("threshold-both", {"type": "threshold", "params": {"lower": 0.1, "upper": 0.9}}),
    ("patient-2", {"type": "patient", "params": {"patience": 2}}),
    ("patient-1-median", {"type": "patient", "params": {"patience": 1, "min_delta": 0.05},
                          "wrapped": {"type": "median", "params": {"n_startup_trials": 1}}}),
    ("patient-3-sh", {"type": "patient", "params": {"patience": 3},
                      "wrapped": {"type": "successive_halving",
                                  "params": {"min_resource": 1, "reduction_factor": 2}}}),
    ("patient-0-0.1", {"type": "patient", "params": {"patience": 0, "min_delta": 0.1}}),
]


def make_pruner(config):
    """The Optuna 3.x pruner for an mlcost pruner config (same argument names)."""
    params = dict(config.get("params") or {})
    t = config["type"]
    if t == "median":
        return optuna.pruners.MedianPruner(**params)
    if t == "percentile":
        return optuna.pruners.PercentilePruner(**params)
    if t == "successive_halving":
        return optuna.pruners.SuccessiveHalvingPruner(**params)
    if t == "hyperband":
        return optuna.pruners.HyperbandPruner(**params)
    if t == "threshold":
        return optuna.pruners.ThresholdPruner(**params)
    if t == "patient":
        wrapped = config.get("wrapped")
        return optuna.pruners.PatientPruner(make_pruner(wrapped) if wrapped else None, **params)
    raise ValueError(t)


def encode(v):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def drive_optuna(config, direction, seed, study_name):
    """Runs a randomized study through Optuna; returns (event log, Optuna's decisions)."""
    rng = random.Random(seed)
    study = optuna.create_study(study_name=study_name, direction=direction)
    n_trials = rng.randint(100, 160)
    concurrency = rng.randint(1, 6)
    events, decisions = [], []
    running = {}  # trial number -> (optuna Trial, plan)
    created = 0

    def decide(trial):
        frozen = study._storage.get_trial(trial._trial_id)
        pruned = make_pruner(config).prune(study, frozen)
        events.append(["prune", trial.number])
        decisions.append(bool(pruned))
        return pruned

    def finish(number, state):
        trial, _ = running.pop(number)
        if state == "complete":
            study.tell(trial, 0.0)
        else:
            study.tell(trial, state=TrialState.PRUNED if state == "pruned" else TrialState.FAIL)
        events.append(["state", number, state])

    while created < n_trials or running:
        if created < n_trials and (not running or (len(running) < concurrency and rng.random() < 0.3)):
            trial = study.ask()
            events.append(["ask"])
            plan = {
                "length": rng.randint(3, 45),
                "stride": rng.choice([1, 1, 1, 2, 3, 5]),
                "level": rng.random(),
                "slope": rng.uniform(-0.04, 0.03),
                "noise": rng.choice([0.0, 0.01, 0.1]),
                "digits": rng.choice([None, None, 1, 2]),
                "nan": rng.choice([0.0, 0.0, 0.05, 0.3]),
                "next": rng.choice([0, 0, 0, 1, 2]),
            }
            running[trial.number] = (trial, plan)
            created += 1
            if rng.random() < 0.1:
                decide(trial)  # no value reported yet
            continue
        number = rng.choice(list(running))
        trial, plan = running[number]
        step = plan["next"]
        r = rng.random()
        reported = sorted(study._storage.get_trial(trial._trial_id).intermediate_values)
        if r < 0.04 and reported:
            step = rng.choice(reported)  # a repeated step: ignored by both
        elif r < 0.07 and step > 2:
            step = rng.randint(0, step - 1)  # out of order (may be new or repeated)
        else:
            plan["next"] += plan["stride"]
        value = plan["level"] + plan["slope"] * step + rng.gauss(0, plan["noise"] + 1e-9)
        if plan["digits"] is not None:
            value = round(value, plan["digits"])
        u = rng.random()
        if u < plan["nan"]:
            value = float("nan")
        elif u > 0.997:
            value = rng.choice([float("inf"), float("-inf")])
        trial.report(value, step)
        events.append(["report", number, step, encode(value)])
        if decide(trial) and rng.random() < 0.9:
            finish(number, "pruned")
        elif plan["next"] >= plan["length"]:
            finish(number, "fail" if rng.random() < 0.1 else "complete")
    return events, decisions


def run_mlcost(config, direction, study_name, events):
    payload = {"study_name": study_name, "direction": direction, "config": config, "events": events}
    proc = subprocess.run([EVAL], input=json.dumps(payload), capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)["decisions"]


TOTAL = {"decisions": 0, "pruned": 0}


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("direction", ["minimize", "maximize"])
@pytest.mark.parametrize("name,config", CONFIGS, ids=[c[0] for c in CONFIGS])
def test_decisions_equal_optuna(name, config, direction, seed):
    assert EVAL, "MLCOST_PRUNER_EVAL (the mlcost-pruner-eval binary) is not set: run through ctest"
    study_name = f"parity-{name}-{direction}-{seed}"
    seed = f"{name}/{direction}/{seed}"
    events, expected = drive_optuna(config, direction, seed, study_name)
    got = run_mlcost(config, direction, study_name, events)
    assert len(got) == len(expected)
    prune_events = [e for e in events if e[0] == "prune"]
    for i, (want, have) in enumerate(zip(expected, got)):
        assert have["prune"] == want, (
            f"decision {i} (trial {prune_events[i][1]}): optuna={want} mlcost={have['prune']} "
            f"({have['reason']})")
    n_pruned = sum(expected)
    # A study where nothing (or everything) is pruned would prove little.
    assert 0 < n_pruned < len(expected), f"{n_pruned} of {len(expected)} pruned"
    TOTAL["decisions"] += len(expected)
    TOTAL["pruned"] += n_pruned
    print(f"\n{study_name}: {len(expected)} decisions equal ({n_pruned} prune)", end="")


def test_zz_report_total():
    if EVAL:
        print(f"\npruner parity: {TOTAL['decisions']} decisions compared with optuna "
              f"{optuna.__version__}, {TOTAL['pruned']} of them prune, all equal")
