"""Proof of savings (issue 5; docs/performance.md, "Proof of savings").

The same hyperparameter sweep is run several times against one real `mlcost serve`: first with no
pruner, then with each pruner configuration. Every trial is bench/savings/train_trial.py (a small
CNN on scikit-learn's digits, python3-torch on CPU, one thread) under `mlcost run`, one after the
other, in a seeded shuffled order of the grid (learning rate x width) that is the same for every
sweep. Each sweep is its own experiment (the experiment is the pruner's study). The sweeps run one
after the other, or with --parallel at the same time (one thread each; a pruner only sees its own
experiment, so its decisions do not change, and compute is CPU time, so only the wall time does).

Compute is the CPU time (user + system) of each `mlcost run` process tree, from `os.wait4` on the
`mlcost run` child: the training job, its Python/torch start-up and the agent itself, as the
kernel accounts it once every process of the tree has been waited for. The score is a trial's
final validation accuracy; a sweep's best is the best over its trials that ran to the end
(FINISHED); pruned trials do not count, even when their last accuracy was high.

Fails loudly (exit 1, naming the trial) when a trial ends in any other way than FINISHED with every
epoch, or KILLED with mlcost.state=PRUNED after the job saw the stop; and when a trial that ran to
the end in a pruned sweep did not reproduce the unpruned sweep's accuracy bit for bit (the jobs are
deterministic, so anything else means the sweeps did not run the same trials).

    /usr/bin/python3 bench/savings/sweep.py --mlcost build/mlcost [--jobs N | --parallel] [--order-seeds 1,2,3]
                                            [--work-dir DIR] [--json OUT]
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
TRAIN = os.path.join(HERE, "train_trial.py")
LISTEN_RE = re.compile(r"^mlcost listening on (http://127\.0\.0\.1:\d+) ")

# 8 learning rates spread evenly on a log scale over the same three decades as the first version of
# this benchmark (1e-4 .. 1e-1, numpy.logspace(-4, -1, 8) to two digits): what a random search with
# a log-uniform learning rate (Optuna's and Ray Tune's examples) samples, laid out as a grid.
LEARNING_RATES = [0.0001, 0.00027, 0.00072, 0.0019, 0.0052, 0.014, 0.037, 0.1]
WIDTHS = [8, 16, 24, 32]
EPOCHS = 50
# The trial orders a pruned configuration is measured on: fixed before the first multi-seed run
# (docs/performance.md, "Several trial orders"); seed 5 alone was the order of the earlier runs.
ORDER_SEEDS = [1, 2, 3, 4, 5]
METRIC = "val_accuracy"

SWEEPS = ["none", "median", "asha"]  # the default; more configurations below (--sweeps)
MORE_SWEEPS = ["median-3-5", "median-eager", "asha-3-3"]  # earlier tries (docs/performance.md)


def pruner_config(name, epochs):
    """The pruner of sweep NAME (None: the baseline sweep). Parameters: Optuna's / Ray Tune's names;
    a step is an epoch trained (1..epochs)."""
    if name == "median":  # Optuna's MedianPruner defaults, spelled out
        return {"type": "median", "params": {"n_startup_trials": 5, "n_warmup_steps": 0}}
    if name == "asha":  # Ray Tune's ASHAScheduler defaults, with the sweep's budget as max_t
        return {"type": "asha", "params": {"max_t": epochs, "grace_period": 1, "reduction_factor": 4}}
    if name == "median-3-5":
        return {"type": "median", "params": {"n_startup_trials": 3, "n_warmup_steps": min(5, epochs)}}
    if name == "median-eager":
        return {"type": "median", "params": {"n_startup_trials": 2, "n_warmup_steps": min(2, epochs)}}
    if name == "asha-3-3":
        return {"type": "asha", "params": {"max_t": epochs, "grace_period": min(3, epochs),
                                           "reduction_factor": 3}}
    return None


class SweepError(Exception):
    pass


PRINT_LOCK = threading.Lock()


def http_json(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"{}")


class Server:
    """`mlcost serve` on a free port of 127.0.0.1 in DATA_DIR; output goes to files."""

    def __init__(self, binary, data_dir, log_dir):
        self.out = os.path.join(log_dir, "serve.out")
        self.err = os.path.join(log_dir, "serve.err")
        with open(self.out, "wb") as out, open(self.err, "wb") as err:
            self.proc = subprocess.Popen([binary, "serve", "--data-dir", data_dir, "--host", "127.0.0.1",
                                          "--port", "0"], stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with open(self.out) as f:
                m = LISTEN_RE.match(f.readline())
            if m:
                self.url = m.group(1)
                return
            if self.proc.poll() is not None:
                raise SweepError("mlcost serve exited with %s: %s" % (self.proc.returncode, open(self.err).read()))
            time.sleep(0.05)
        self.stop()
        raise SweepError("mlcost serve did not print its listening line in 60 s")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def grid_order(seed, learning_rates, widths):
    grid = [(lr, w) for lr in learning_rates for w in widths]
    random.Random(seed).shuffle(grid)
    return grid


def run_trial(args, server, experiment, expected_pruner, number, lr, width, trial_dir):
    """Runs one trial under `mlcost run`; returns its record. Raises SweepError when it went wrong."""
    os.makedirs(trial_dir)
    result_path = os.path.join(trial_dir, "result.json")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.join(REPO_ROOT, "clients", "python", "src")
    cmd = [args.mlcost, "run", "--server", server.url, "--cloud", "none", "-e", experiment,
           "-n", "trial-%02d-lr%g-w%d" % (number, lr, width), "--prune-poll", str(args.prune_poll),
           "--stop-grace", "10", "--", sys.executable, TRAIN, "--lr", repr(lr), "--width", str(width),
           "--epochs", str(args.epochs), "--result", result_path]
    with open(os.path.join(trial_dir, "stdout"), "wb") as out, open(os.path.join(trial_dir, "stderr"), "wb") as err:
        proc = subprocess.Popen(cmd, cwd=trial_dir, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    stderr = open(os.path.join(trial_dir, "stderr")).read()
    where = "%s trial %d (lr %g, width %d; %s)" % (experiment, number, lr, width, trial_dir)
    if not os.path.exists(result_path):
        raise SweepError("%s: the job wrote no result (mlcost run exit %d): %s" % (where, proc.returncode, stderr[-2000:]))
    with open(result_path) as f:
        result = json.load(f)
    run = http_json("GET", "%s/api/v1/runs/%s" % (server.url, result["run_id"]))
    tags = run.get("tags", {})
    if isinstance(tags, list):
        tags = {t["key"]: t["value"] for t in tags}
    finished = run["status"] == "FINISHED" and proc.returncode == 0 and result["epochs_done"] == args.epochs \
        and not result["pruned"]
    # The job may not have seen the stop itself: `mlcost run`'s own poll can win the race and end it
    # between its flush and its should_stop() call. The server's record is what counts.
    pruned = run["status"] == "KILLED" and tags.get("mlcost.state") == "PRUNED" \
        and tags.get("mlcost.stop_reason", "").startswith((expected_pruner or "") + " pruner: ")
    if not (finished or pruned):
        raise SweepError("%s: ended %s (exit %d, %d of %d epochs, job saw stop: %s, tags %s): %s"
                         % (where, run["status"], proc.returncode, result["epochs_done"], args.epochs,
                            result["pruned"], {k: v for k, v in tags.items() if k.startswith("mlcost.")},
                            stderr[-2000:]))
    return {"number": number, "lr": lr, "width": width, "run_id": result["run_id"], "cpu_seconds": cpu,
            "epochs": result["epochs_done"], "outcome": "finished" if finished else "pruned",
            "val_accuracy": result["val_accuracy"], "reason": tags.get("mlcost.stop_reason", "")}


class Plan:
    """One sweep to run: pruner configuration NAME on the trial order of SEED. LABEL names it in the
    report ("median s3"; just the name when there is one seed) and EXPERIMENT is its experiment."""

    def __init__(self, name, seed, order, several_seeds):
        self.name, self.seed, self.order = name, seed, order
        tagged = several_seeds and name != "none"
        self.label = "%s s%d" % (name, seed) if tagged else name
        self.experiment = "savings-%s-s%d" % (name, seed) if tagged else "savings-%s" % name


def run_sweep(args, server, plan):
    experiment = plan.experiment
    pruner = pruner_config(plan.name, args.epochs)
    http_json("POST", server.url + "/api/2.0/mlflow/experiments/create", {"name": experiment})
    if pruner is not None:
        cmd = [args.mlcost, "pruner", "set", experiment, "--server", server.url, "--metric", METRIC,
               "--direction", "maximize", "--type", pruner["type"], "--json"]
        for k, v in pruner["params"].items():
            cmd += ["--param", "%s=%s" % (k, v)]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            raise SweepError("mlcost pruner set failed (%d): %s" % (p.returncode, p.stderr))
        with PRINT_LOCK:
            print("%s: pruner %s, order seed %d" % (experiment, json.dumps(json.loads(p.stdout), sort_keys=True),
                                                     plan.seed), flush=True)
    trials = []
    for number, (lr, width) in enumerate(plan.order):
        if args.abort.is_set():
            raise SweepError("%s: stopped before trial %d, another sweep failed" % (experiment, number))
        t = run_trial(args, server, experiment, pruner["type"] if pruner else None, number, lr, width,
                      os.path.join(args.work_dir, experiment, "trial-%02d" % number))
        with PRINT_LOCK:
            print("%s #%02d lr=%-7g width=%-3d %-8s epochs=%2d val_accuracy=%.4f cpu=%6.2f s %s"
                  % (experiment, number, lr, width, t["outcome"], t["epochs"], t["val_accuracy"], t["cpu_seconds"],
                     t["reason"]), flush=True)
        trials.append(t)
    done = [t for t in trials if t["outcome"] == "finished"]
    best = max(done, key=lambda t: t["val_accuracy"]) if done else None
    return {"name": plan.name, "label": plan.label, "order_seed": plan.seed, "experiment": experiment,
            "pruner": pruner, "trials": trials,
            "cpu_seconds": sum(t["cpu_seconds"] for t in trials),
            "finished": len(done), "pruned": len(trials) - len(done),
            "epochs": sum(t["epochs"] for t in trials),
            "best_val_accuracy": best["val_accuracy"] if best else None,
            "best_trial": best["number"] if best else None,
            "best_point": [best["lr"], best["width"]] if best else None}


def pruner_text(pruner):
    if pruner is None:
        return "none"
    return "%s (%s)" % (pruner["type"], ", ".join("%s=%s" % kv for kv in pruner["params"].items()))


def share_and_gap(s, base):
    """(compute share of the baseline, relative best-score loss) of sweep S; the loss is inf when
    no trial of S ran to the end."""
    share = s["cpu_seconds"] / base["cpu_seconds"]
    if s["best_val_accuracy"] is None:
        return share, float("inf")
    return share, (base["best_val_accuracy"] - s["best_val_accuracy"]) / base["best_val_accuracy"]


def meets(share, gap):
    return share <= 0.5 and gap <= 0.01


def best_text(s, several):
    """The sweep's best: "0.9889 (trial 21)", its position in the sweep's order; with several
    orders the grid point instead ("0.9889 (lr 0.014, width 32)"), since positions differ."""
    if not several:
        return "%.4f (trial %d)" % (s["best_val_accuracy"], s["best_trial"])
    return "%.4f (lr %g, width %d)" % (s["best_val_accuracy"], s["best_point"][0], s["best_point"][1])


def report(sweeps, args):
    """The per-sweep table, and whether every pruned sweep met both targets."""
    base = sweeps[0]
    several = len({s["order_seed"] for s in sweeps}) > 1
    lines = ["| sweep | pruner | trials finished / pruned | epochs trained | CPU-seconds | compute vs. no pruner "
             "| best final val accuracy | vs. no pruner | targets (<= 50 %, within 1 %) |",
             "|---|---|---|---|---|---|---|---|---|"]
    ok = True
    for s in sweeps:
        share, gap = share_and_gap(s, base)
        if s is base:
            verdict, rel = "baseline", "-"
        else:
            met = meets(share, gap)
            ok = ok and met
            verdict = "met" if met else "NOT met"
            rel = "%+.2f %%" % (0.0 - 100 * gap)
        lines.append("| %s | %s | %d / %d | %d of %d | %.1f | %.1f %% | %s | %s | %s |" % (
            s["label"], pruner_text(s["pruner"]), s["finished"], s["pruned"], s["epochs"],
            len(s["trials"]) * args.epochs, s["cpu_seconds"], 100 * share,
            best_text(s, several) if s["best_val_accuracy"] is not None else "none finished", rel, verdict))
    return "\n".join(lines), ok


def seed_summary(sweeps, names):
    """Per pruned configuration over its order seeds: mean, spread and range of the compute share,
    the worst best-score loss, and how many seeds met both targets. The configuration's verdict:
    met when the MEAN share is <= 50 % and the best score stays within 1 % in EVERY seed (the mean is
    the expected compute of a sweep whose order is random; the best must hold whatever the order).
    Returns (table, every configuration met)."""
    base = sweeps[0]
    lines = ["| pruner | order seeds | compute vs. no pruner: mean (sd) | min - max | best vs. no pruner: worst "
             "| seeds meeting both | verdict (mean <= 50 %, every best within 1 %) |",
             "|---|---|---|---|---|---|---|"]
    ok = True
    for n in names[1:]:
        runs = [s for s in sweeps if s["name"] == n]
        pairs = [share_and_gap(s, base) for s in runs]
        shares = [p[0] for p in pairs]
        mean = sum(shares) / len(shares)
        sd = (sum((x - mean) ** 2 for x in shares) / (len(shares) - 1)) ** 0.5 if len(shares) > 1 else 0.0
        worst = max(p[1] for p in pairs)
        met = mean <= 0.5 and worst <= 0.01
        ok = ok and met
        lines.append("| %s | %s | %.1f %% (%.1f) | %.1f - %.1f %% | %+.2f %% | %d of %d | %s |" % (
            pruner_text(runs[0]["pruner"]), ",".join(str(s["order_seed"]) for s in runs), 100 * mean, 100 * sd,
            100 * min(shares), 100 * max(shares), 0.0 - 100 * worst, sum(meets(*p) for p in pairs), len(pairs),
            "met" if met else "NOT met"))
    return "\n".join(lines), ok


def trial_table(sweeps):
    """One row per trial of the baseline's order: each sweep's outcome for the same grid point (final
    val accuracy, or the epoch it was pruned at) and CPU-seconds; a sweep of another order ran the
    same grid point at another position."""
    head = "| # | lr | width | " + " | ".join(s["label"] for s in sweeps) + " |"
    lines = [head, "|---|---|---|" + "---|" * len(sweeps)]
    by_point = [{(t["lr"], t["width"]): t for t in s["trials"]} for s in sweeps]
    for i, t0 in enumerate(sweeps[0]["trials"]):
        cells = []
        for points in by_point:
            t = points[(t0["lr"], t0["width"])]
            what = "%.4f" % t["val_accuracy"] if t["outcome"] == "finished" else "pruned at %d" % t["epochs"]
            cells.append("%s, %.1f s" % (what, t["cpu_seconds"]))
        lines.append("| %d | %g | %d | %s |" % (i, t0["lr"], t0["width"], " | ".join(cells)))
    return "\n".join(lines)


def check_reproduced(sweeps):
    """A trial that ran to the end must reach the same accuracy in every sweep (deterministic jobs)."""
    base = {(t["lr"], t["width"]): t for t in sweeps[0]["trials"]}
    for s in sweeps[1:]:
        for t in s["trials"]:
            ref = base[(t["lr"], t["width"])]
            if t["outcome"] == "finished" and t["val_accuracy"] != ref["val_accuracy"]:
                raise SweepError("%s trial %d (lr %g, width %d) reached val_accuracy %r, the unpruned sweep %r: the "
                                 "jobs are not deterministic" % (s["label"], t["number"], t["lr"], t["width"],
                                                                 t["val_accuracy"], ref["val_accuracy"]))


def write_json(path, args, learning_rates, widths, sweeps):
    with open(path, "w") as f:
        json.dump({"epochs": args.epochs, "order_seeds": args.order_seeds, "learning_rates": learning_rates,
                   "widths": widths, "sweeps": sweeps}, f, indent=1)


def run_sweeps(args, server, plans, learning_rates, widths):
    """Runs PLANS, --jobs at a time (all at once with --parallel), one thread each, taken in the
    order of PLANS; returns their results in that order. The JSON file is written after every sweep
    that ends, so a failure later keeps what was measured. The first SweepError stops the other
    sweeps before their next trial and is raised."""
    args.abort = threading.Event()
    done = {}
    lock = threading.Lock()
    queue = list(enumerate(plans))
    errors = []

    def worker():
        while not args.abort.is_set():
            with lock:
                if not queue:
                    return
                i, plan = queue.pop(0)
            try:
                s = run_sweep(args, server, plan)
            except SweepError as e:
                errors.append(e)
                args.abort.set()
                return
            except Exception as e:  # a bug in this script: report it like a sweep failure, stop the others
                errors.append(SweepError("%s: %r" % (plan.label, e)))
                args.abort.set()
                return
            with lock:
                done[i] = s
                if args.json:
                    write_json(args.json, args, learning_rates, widths, [done[k] for k in sorted(done)])

    jobs = len(plans) if args.parallel else max(1, args.jobs)
    threads = [threading.Thread(target=worker, name="sweep-%d" % k) for k in range(min(jobs, len(plans)))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return [done[i] for i in range(len(plans))]


def parse_seeds(text):
    seeds = [int(v) for v in text.split(",")]
    if len(set(seeds)) != len(seeds):
        raise ValueError("a seed is repeated in %s" % text)
    return seeds


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mlcost", default=os.path.join(REPO_ROOT, "build", "mlcost"), help="the mlcost binary")
    ap.add_argument("--work-dir", help="where the server's data and the trials' files go (default: a temp dir, "
                                       "removed afterwards)")
    ap.add_argument("--json", help="write every trial and the totals here")
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--order-seeds", default=",".join(str(v) for v in ORDER_SEEDS),
                    help="comma-separated trial-order seeds each pruned configuration runs on; the unpruned "
                         "sweep runs once, in the first seed's order (default %(default)s)")
    ap.add_argument("--order-seed", type=int, help="one seed: the same as --order-seeds N")
    ap.add_argument("--learning-rates", default=",".join("%g" % v for v in LEARNING_RATES),
                    help="comma-separated (default %(default)s)")
    ap.add_argument("--widths", default=",".join(str(v) for v in WIDTHS), help="comma-separated (default %(default)s)")
    ap.add_argument("--trials", type=int, help="run only the first N trials of each order (a smoke run; default: "
                                               "the whole grid)")
    ap.add_argument("--prune-poll", type=float, default=0.5, help="mlcost run --prune-poll (seconds)")
    ap.add_argument("--jobs", type=int, default=1,
                    help="run this many sweeps at the same time, one thread each (the trials of a sweep stay one "
                         "after the other, in its order); compute is CPU time, so only wall time changes "
                         "(default %(default)s)")
    ap.add_argument("--parallel", action="store_true", help="run every sweep at the same time (--jobs = all)")
    ap.add_argument("--sweeps", default=",".join(SWEEPS), help="comma-separated, first is the baseline: "
                    + ", ".join(SWEEPS + MORE_SWEEPS) + " (default %(default)s)")
    args = ap.parse_args()
    names = args.sweeps.split(",")
    if names[0] != "none" or any(n not in SWEEPS + MORE_SWEEPS for n in names) or len(set(names)) != len(names):
        ap.error("--sweeps: distinct names from %s, starting with none" % ",".join(SWEEPS + MORE_SWEEPS))
    if not os.access(args.mlcost, os.X_OK):
        ap.error("--mlcost %s is not an executable (build the mlcost target)" % args.mlcost)
    args.mlcost = os.path.abspath(args.mlcost)
    try:
        args.order_seeds = [args.order_seed] if args.order_seed is not None else parse_seeds(args.order_seeds)
    except ValueError as e:
        ap.error("--order-seeds: %s" % e)
    if args.trials is not None and len(args.order_seeds) > 1:
        ap.error("--trials takes one order seed: the unpruned sweep runs one order, and the first N trials of "
                 "other orders are other grid points")
    keep = args.work_dir is not None
    args.work_dir = os.path.abspath(args.work_dir or tempfile.mkdtemp(prefix="mlcost-savings-"))
    os.makedirs(args.work_dir, exist_ok=True)
    if os.listdir(args.work_dir):
        ap.error("--work-dir %s is not empty" % args.work_dir)
    try:
        learning_rates = [float(v) for v in args.learning_rates.split(",")]
        widths = [int(v) for v in args.widths.split(",")]
    except ValueError as e:
        ap.error("--learning-rates / --widths: %s" % e)
    several = len(args.order_seeds) > 1
    orders = {}
    for seed in args.order_seeds:
        orders[seed] = grid_order(seed, learning_rates, widths)[:args.trials]
        print("grid order (seed %d): %s" % (seed, ", ".join("lr=%g/w=%d" % o for o in orders[seed])), flush=True)
    first = args.order_seeds[0]
    # The baseline first; then seed by seed, so a sweep cut short still has whole seeds.
    plans = [Plan("none", first, orders[first], several)]
    plans += [Plan(n, seed, orders[seed], several) for seed in args.order_seeds for n in names[1:]]

    server = Server(args.mlcost, os.path.join(args.work_dir, "data"), args.work_dir)
    try:
        sweeps = run_sweeps(args, server, plans, learning_rates, widths)
        check_reproduced(sweeps)
    except SweepError as e:
        print("sweep FAILED: %s" % e, file=sys.stderr)
        print("files kept in %s" % args.work_dir, file=sys.stderr)
        return 1
    finally:
        server.stop()
    table, ok = report(sweeps, args)
    print("\n" + trial_table(sweeps))
    print("\n" + table)
    if several:
        summary, ok = seed_summary(sweeps, names)
        print("\n" + summary)
    print("\ncompute = CPU time (user + system) of each `mlcost run` process tree (os.wait4): job + agent")
    if several:
        print("targets: %s" % ("met by every pruner over the order seeds (mean compute, every best)" if ok
                               else "NOT met by every pruner over the order seeds (see the last table)"))
    else:
        print("targets: %s" % ("met by every pruned sweep" if ok else "NOT met by every pruned sweep (see the table)"))
    if not keep:
        shutil.rmtree(args.work_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
