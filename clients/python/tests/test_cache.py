"""mlcost.cache (the stage cache from Python): memoize and stage, with the same directory layout
and entry format as `mlcost cache` (checked by running the real binary on what Python stored)."""
import importlib
import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

import mlcost
from mlcost import cache as mc


@pytest.fixture
def cdir(tmp_path):
    return str(tmp_path / "cache")


def write(path, text):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def test_memoize_hits_on_same_arguments_and_misses_on_others(cdir, tmp_path):
    calls = []
    write("data.csv", "a,b\n1,2\n")

    @mc.memoize(deps=["data.csv"], cache_dir=cdir)
    def featurize(n, scale=1.0):
        calls.append(n)
        return {"n": n * scale, "rows": open("data.csv").read().count("\n")}

    assert featurize(3) == {"n": 3.0, "rows": 2}
    assert featurize.last_hit is False
    assert featurize(3) == {"n": 3.0, "rows": 2}
    assert featurize.last_hit is True
    assert featurize(3, scale=1.0) == {"n": 3.0, "rows": 2}  # defaults bound: the same call
    assert calls == [3]
    featurize(4)
    assert calls == [3, 4]
    write("data.csv", "a,b\n1,2\n3,4\n")  # the declared dependency changed
    assert featurize(3)["rows"] == 3
    assert calls == [3, 4, 3]


def test_exceptions_are_not_cached(cdir):
    calls = []

    @mc.memoize(cache_dir=cdir)
    def boom():
        calls.append(1)
        raise ValueError("no")

    for _ in range(2):
        with pytest.raises(ValueError):
            boom()
    assert len(calls) == 2


def test_source_change_is_a_new_key(cdir, tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    mod = tmp_path / "stage_mod_src.py"
    body = "import mlcost.cache as mc\n@mc.memoize(cache_dir=%r)\ndef f(x):\n    return x + %d\n"
    mod.write_text(body % (cdir, 1))
    m = importlib.import_module("stage_mod_src")
    assert m.f(1) == 2
    key1 = m.f.key(1)
    mod.write_text(body % (cdir, 100))
    m = importlib.reload(m)
    assert m.f.key(1) != key1
    assert m.f(1) == 101
    assert m.f.last_hit is False


def test_corrupted_entry_is_recomputed(cdir):
    calls = []

    @mc.memoize(cache_dir=cdir)
    def f():
        calls.append(1)
        return "value"

    f()
    key = f.key()
    entry = os.path.join(cdir, "entries", key[:2], key + ".json")
    with open(entry, "r+") as fh:
        fh.truncate(20)
    assert f() == "value"
    assert len(calls) == 2
    assert json.load(open(entry))["key"] == key  # republished whole


def test_stage_restores_outputs_on_a_hit(cdir):
    write("raw/a.txt", "hello\n")
    runs = []
    for attempt in range(2):
        with mc.stage("upper", deps=["raw"], outs=["tok"], params={"case": "upper"}, cache_dir=cdir) as st:
            if not st.hit:
                runs.append(attempt)
                os.makedirs("tok", exist_ok=True)
                write("tok/a.txt", open("raw/a.txt").read().upper())
        if attempt == 0:
            assert not st.hit
            import shutil
            shutil.rmtree("tok")
    assert st.hit
    assert runs == [0]
    assert open("tok/a.txt").read() == "HELLO\n"


def test_stage_bad_input(cdir):
    with pytest.raises(mc.CacheError, match=r"\.\."):
        mc.stage("x", outs=["../up"], cache_dir=cdir)
    with pytest.raises(mc.CacheError, match="relative"):
        mc.stage("x", outs=["/etc/passwd"], cache_dir=cdir)
    with pytest.raises(mc.CacheError, match="does not exist"):
        with mc.stage("x", deps=["missing.csv"], outs=["o"], cache_dir=cdir):
            pass
    with pytest.raises(mc.CacheError, match="was not created"):
        with mc.stage("x", outs=["never.bin"], cache_dir=cdir) as st:
            assert not st.hit
    assert not os.listdir(os.path.join(cdir, "entries"))


def test_two_processes_one_key_one_computes(cdir, tmp_path):
    src_root = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
    script = tmp_path / "worker.py"
    script.write_text(textwrap.dedent("""
        import os, sys, time
        sys.path.insert(0, %r)
        import mlcost.cache as mc

        @mc.memoize(cache_dir=%r)
        def slow():
            with open("computed", "a") as f:
                f.write("x")
            open("started", "w").close()
            while not os.path.exists("go"):   # held until the test says go
                time.sleep(0.01)
            return 42

        print(slow(), slow.last_hit)
    """ % (src_root, cdir)))
    first = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    while not os.path.exists("started"):
        assert first.poll() is None
        time.sleep(0.01)
    second = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    open("go", "w").close()
    out1, _ = first.communicate(timeout=60)
    out2, _ = second.communicate(timeout=60)
    assert open("computed").read() == "x"
    assert out1.split() == ["42", "False"]
    assert out2.split() == ["42", "True"]


def test_cli_reads_what_python_stored(cdir, mlcost_binary):
    @mc.memoize(cache_dir=cdir)
    def f(x):
        return [x] * 3

    f(7)
    ls = subprocess.run([mlcost_binary, "cache", "ls", "--cache-dir", cdir, "--json"], capture_output=True, text=True)
    assert ls.returncode == 0, ls.stderr
    rows = json.loads(ls.stdout)["entries"]
    assert [r["key"] for r in rows] == [f.key(7)]
    assert rows[0]["valid"] and rows[0]["label"].endswith(".f")
    verify = subprocess.run([mlcost_binary, "cache", "verify", "--cache-dir", cdir], capture_output=True, text=True)
    assert verify.returncode == 0, verify.stderr
    gc = subprocess.run([mlcost_binary, "cache", "gc", "--cache-dir", cdir, "--max-size", "0", "--json"],
                        capture_output=True, text=True)
    assert gc.returncode == 0, gc.stderr
    assert json.loads(gc.stdout)["evicted"] == [f.key(7)]
    f(7)
    assert f.last_hit is False


def test_package_exports_cache():
    assert mlcost.cache.memoize is mc.memoize


def test_unwritable_cache_still_runs_the_work():
    calls = []

    @mc.memoize(cache_dir="/sys/mlcost-cache-test")
    def f():
        calls.append(1)
        return 5

    with pytest.warns(UserWarning, match="cannot be written"):
        assert f() == 5
    with pytest.warns(UserWarning):
        assert f() == 5
    assert len(calls) == 2
    with pytest.warns(UserWarning):
        with mc.stage("ro", outs=["o.txt"], cache_dir="/sys/mlcost-cache-test") as st:
            assert not st.hit
            write("o.txt", "x")
    assert open("o.txt").read() == "x"
