#!/usr/bin/env python3
"""Stage cache benchmark (docs/performance.md, "Stage cache").

Makes N files totalling SIZE bytes, then measures with the real `mlcost` binary:
  1. cold hashing (empty cache, no file-hash memo): bytes_hashed / decide_seconds, with the
     default threads and with --threads 1, against `md5sum` (DVC's hash) and `sha256sum` over the
     same files, page cache warm for all (the files were just written and read);
  2. the hit decision when nothing changed (memo hit: stat only) and the whole hit's wall time;
  3. a hit's cost against a 10 s stage (--stage-seconds);
  4. mlcost.cache.memoize vs joblib.Memory on the same function (returns a 10 MB bytes object).
Checks its own results (hit/miss statuses, key equality) and prints ratios. Needs build/mlcost.

    nice python3 bench/stagecache_bench.py [--files 10000] [--size 1G] [--stage-seconds 10]
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "clients", "python", "src"))


def parse_size(s):
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(float(s[:-1]) * mult[s[-1]]) if s[-1] in mult else int(s)


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def mlcost(binary, cache, *args):
    t = time.perf_counter()
    c = child_cpu()
    p = subprocess.run([binary, "cache", "run", "--cache-dir", cache, "--json", *args], capture_output=True, text=True)
    wall = time.perf_counter() - t
    cpu = child_cpu() - c
    if p.returncode != 0:
        raise SystemExit("mlcost failed: %s" % p.stderr)
    r = json.loads(p.stdout.strip().splitlines()[-1])
    r["wall"] = wall
    r["cpu"] = cpu  # user + sys of mlcost and the command it ran (none on a hit)
    return r


def timed(cmd, cwd, cpu=False):
    """Wall seconds (or, with cpu=True, user + sys seconds of the command and its children)."""
    t = time.perf_counter()
    c = child_cpu()
    subprocess.run(cmd, cwd=cwd, shell=True, check=True, stdout=subprocess.DEVNULL)
    return (child_cpu() - c) if cpu else time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=10000)
    ap.add_argument("--size", default="1G")
    ap.add_argument("--stage-seconds", type=float, default=10.0)
    ap.add_argument("--binary", default=os.environ.get("MLCOST_BINARY", os.path.join(ROOT, "build", "mlcost")))
    ap.add_argument("--dir", default=None, help="work directory (default: a temp dir, removed)")
    a = ap.parse_args()
    total = parse_size(a.size)
    work = a.dir or tempfile.mkdtemp(prefix="stagecache_bench_")
    os.makedirs(work, exist_ok=True)
    os.chdir(work)
    per = total // a.files
    print("# %d files x %d bytes = %.2f GB in %s; %d CPUs; load %s" % (
        a.files, per, per * a.files / 1e9, work, os.cpu_count(), open("/proc/loadavg").read().split()[:3]))
    if not os.path.isdir("data"):
        block = os.urandom(1 << 20)
        for i in range(a.files):
            d = "data/%03d" % (i // 100)
            os.makedirs(d, exist_ok=True)
            with open("%s/f%05d.bin" % (d, i), "wb") as f:
                off = (i * 7919) % (len(block) - 64)
                f.write((block[off:] + block)[:per - 8] + i.to_bytes(8, "little"))
    nbytes = sum(os.path.getsize(os.path.join(r, n)) for r, _d, ns in os.walk("data") for n in ns)
    # Files modified in the last 2 s are never memoised (racy mtimes, docs/cache.md): a quick run
    # must not start its cold runs inside that window, or its hits would hash again.
    newest = max(os.path.getmtime(os.path.join(r, n)) for r, _d, ns in os.walk("data") for n in ns)
    time.sleep(max(0.0, newest + 2.5 - time.time()))
    gb = nbytes / 1e9
    timed("cat data/*/* > /dev/null", work)  # warm the page cache for everyone

    res = {}
    md5 = min(timed("find data -type f -print0 | xargs -0 md5sum", work) for _ in range(2))
    sha = min(timed("find data -type f -print0 | xargs -0 sha256sum", work) for _ in range(2))
    res["md5sum_GBps"] = gb / md5
    res["sha256sum_GBps"] = gb / sha
    res["md5sum_GB_per_cpu_s"] = gb / min(timed("find data -type f -print0 | xargs -0 md5sum", work, True) for _ in range(2))
    stage = ["--dep", "data", "--out", "o.txt", "--", "sh", "-c", "echo done > o.txt"]

    cold = {}
    for threads in ("1", "default"):
        best = None
        for _ in range(2):
            cache = os.path.join(work, "cache-cold")
            shutil.rmtree(cache, ignore_errors=True)
            extra = [] if threads == "default" else ["--threads", threads]
            r = mlcost(a.binary, cache, *extra, *stage)
            assert r["status"] == "miss" and r["bytes_hashed"] == nbytes, r
            best = r if best is None or r["decide_seconds"] < best["decide_seconds"] else best
        cold[threads] = best
        res["cold_hash_GBps_threads_" + threads] = gb / best["decide_seconds"]
        res["cold_hash_GB_per_cpu_s_threads_" + threads] = gb / best["cpu"]
    res["cold_vs_md5sum"] = res["cold_hash_GBps_threads_default"] / res["md5sum_GBps"]
    res["cold_1thread_vs_md5sum"] = res["cold_hash_GBps_threads_1"] / res["md5sum_GBps"]

    # Nothing changed: the memo answers, nothing is read.
    cache = os.path.join(work, "cache-cold")
    hits = [mlcost(a.binary, cache, *stage) for _ in range(5)]
    for h in hits:
        assert h["status"] == "hit" and h["bytes_hashed"] == 0 and h["key"] == cold["default"]["key"], h
    res["hit_decide_ms_median"] = sorted(h["decide_seconds"] for h in hits)[2] * 1e3
    res["hit_wall_ms_median"] = sorted(h["wall"] for h in hits)[2] * 1e3
    res["hit_cpu_ms_median"] = sorted(h["cpu"] for h in hits)[2] * 1e3

    # A 10 s stage with the same inputs and a 10 MB output: one miss, then hits.
    with open("out10m.src", "wb") as f:
        f.write(os.urandom(10 << 20))
    slow = ["--dep", "data", "--out", "model.bin", "--", "sh", "-c",
            "sleep %g; cp out10m.src model.bin" % a.stage_seconds]
    miss = mlcost(a.binary, cache, *slow)
    assert miss["status"] == "miss", miss
    hits = [mlcost(a.binary, cache, *slow) for _ in range(5)]
    assert all(h["status"] == "hit" for h in hits)
    hit_wall = sorted(h["wall"] for h in hits)[2]
    res["stage_miss_s"] = miss["wall"]
    res["stage_hit_ms_median"] = hit_wall * 1e3
    res["stage_hit_fraction_of_run"] = hit_wall / miss["wall"]
    res["stage_hit_cpu_ms_median"] = sorted(h["cpu"] for h in hits)[2] * 1e3
    res["stage_hit_cpu_fraction_of_run"] = res["stage_hit_cpu_ms_median"] / 1e3 / miss["wall"]

    # Python: mlcost.cache.memoize vs joblib.Memory, same function, 10 MB result.
    import mlcost.cache as mc
    payload = os.urandom(10 << 20)

    def work_fn(n):
        time.sleep(0.2)
        return payload[:n]

    def hit_ms_median(fn, hit):
        """Median of 20 calls after a first (miss) call, in ms; every call must be a hit."""
        fn(10 << 20)
        t = []
        for _ in range(20):
            s = time.perf_counter()
            v = fn(10 << 20)
            t.append(time.perf_counter() - s)
            assert hit(fn) and len(v) == 10 << 20
        return sorted(t)[10] * 1e3

    mfn = mc.memoize(cache_dir=os.path.join(work, "py-cache"))(work_fn)
    res["py_memoize_hit_ms_median"] = hit_ms_median(mfn, lambda f: f.last_hit)
    try:
        import joblib
        mem = joblib.Memory(os.path.join(work, "joblib-cache"), verbose=0)
        jfn = mem.cache(work_fn)
        res["joblib_hit_ms_median"] = hit_ms_median(jfn, lambda f: f.check_call_in_cache(10 << 20))
        res["joblib_version"] = joblib.__version__
    except ImportError:
        res["joblib_hit_ms_median"] = None

    for k, v in res.items():
        print("%-32s %s" % (k, ("%.3f" % v) if isinstance(v, float) else v))
    print(json.dumps(res))
    if not a.dir:
        os.chdir("/")
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
