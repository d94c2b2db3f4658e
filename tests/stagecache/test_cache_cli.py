"""`mlcost cache run|gc|push|pull|ls|verify` end to end: the real binary, real processes, a real
s3rver (docs/cache.md)."""
import json
import os
import signal
import subprocess
import time

import os.path as _p
import sys as _sys
_sys.path.insert(0, _p.dirname(_p.abspath(__file__)))

from stagecache_helpers import binary_path, s3_env

STAGE = ["--dep", "in.txt", "--out", "out", "--", "sh", "-c",
         "echo x >> runs; mkdir -p out; tr a-z A-Z < in.txt > out/up.txt"]


def write(path, text):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def runs():
    return open("runs").read().count("x") if os.path.exists("runs") else 0


def entries(cdir):
    root = os.path.join(cdir, "entries")
    return sorted(n[:-5] for _r, _d, ns in os.walk(root) for n in ns if n.endswith(".json")) if os.path.isdir(root) else []


def test_miss_then_hit_restores_by_copy_or_hardlink(cli, cdir):
    write("in.txt", "hello\n")
    miss = cli.run_json(*STAGE)
    assert miss["status"] == "miss" and miss["hit"] is False and miss["bytes"] == 6
    assert runs() == 1
    os.remove("out/up.txt")
    hit = cli.run_json(*STAGE)
    assert hit["status"] == "hit" and hit["key"] == miss["key"] and hit["bytes"] == 6
    assert "seconds_saved" in hit
    assert runs() == 1
    assert open("out/up.txt").read() == "HELLO\n"
    blob = os.path.join(cdir, "blobs")
    blob_inodes = {os.stat(os.path.join(r, n)).st_ino for r, _d, ns in os.walk(blob) for n in ns}
    assert os.stat("out/up.txt").st_ino not in blob_inodes  # a copy: editing it cannot touch the cache
    cli("run", "--link", *STAGE, check=0)
    assert os.stat("out/up.txt").st_ino in blob_inodes
    # The human line says hit, on stderr (stdout belongs to the command).
    p = cli("run", *STAGE, check=0)
    assert "hit" in p.stderr and p.stdout == ""


def test_params_env_and_script_are_in_the_key(cli):
    write("in.txt", "a\n")
    k1 = cli.run_json("--param", "lr=0.1", *STAGE)["key"]
    k2 = cli.run_json("--param", "lr=0.2", *STAGE)["key"]
    assert k1 != k2
    env = dict(os.environ, SEED="1")
    k3 = cli.run_json("--env", "SEED", *STAGE, env=env)["key"]
    env["SEED"] = "2"
    assert cli.run_json("--env", "SEED", *STAGE, env=env)["key"] != k3
    write("prep.sh", "mkdir -p o; cp in.txt o/\n")
    s1 = cli.run_json("--out", "o", "--", "sh", "prep.sh")
    write("prep.sh", "mkdir -p o; cp in.txt o/; cp in.txt o/b\n")
    s2 = cli.run_json("--out", "o", "--", "sh", "prep.sh")
    assert s1["key"] != s2["key"] and s2["status"] == "miss"


def test_two_concurrent_processes_one_computes(cli):
    write("in.txt", "z\n")
    slow = ["--dep", "in.txt", "--out", "o.txt", "--", "sh", "-c",
            "echo x >> runs; touch started; while [ ! -e go ]; do sleep 0.01; done; cp in.txt o.txt"]
    first = cli.popen("run", "--json", *slow)
    while not os.path.exists("started"):
        assert first.poll() is None
        time.sleep(0.01)
    second = cli.popen("run", "--json", *slow)
    open("go", "w").close()
    out1, err1 = first.communicate(timeout=60)
    out2, err2 = second.communicate(timeout=60)
    assert first.returncode == 0 and second.returncode == 0, err1 + err2
    assert runs() == 1
    r1, r2 = json.loads(out1), json.loads(out2)
    assert r1["status"] == "miss" and r2["status"] == "hit"
    assert r1["key"] == r2["key"]


def stop_a_running_stage(cli, trap_exit):
    """Starts a stage whose command traps SIGTERM (writes got-term, exits `trap_exit`), sends
    SIGTERM to `mlcost cache run` once it runs; returns (exit status, --json result). Bounded loop:
    without the forwarding the command would otherwise outlive the test."""
    write("in.txt", "t\n")
    stage = ["--dep", "in.txt", "--out", "o.txt", "--", "sh", "-c",
             "trap 'echo term > got-term; cp in.txt o.txt; exit %d' TERM; touch started; "
             "i=0; while [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done; cp in.txt o.txt" % trap_exit]
    p = cli.popen("run", "--json", *stage)
    deadline = time.monotonic() + 30
    while not os.path.exists("started"):
        assert p.poll() is None and time.monotonic() < deadline, p.communicate()
        time.sleep(0.01)
    p.send_signal(signal.SIGTERM)
    out, err = p.communicate(timeout=60)
    assert open("got-term").read() == "term\n", err
    return p.returncode, json.loads(out.strip().splitlines()[-1])


def test_sigterm_to_mlcost_reaches_the_command_and_nothing_is_cached(cli, cdir):
    # A scheduler stopping the stage signals `mlcost cache run`, not its child: the command gets
    # the SIGTERM (and may clean up); its status is mlcost's.
    code, result = stop_a_running_stage(cli, 7)
    assert code == 7 and result["status"] == "failed" and result["exit_code"] == 7, result
    assert entries(cdir) == []


def test_a_stopped_command_that_exits_0_is_not_cached(cli, cdir):
    # The trap wrote its output and exited 0, but the stage was stopped, not finished: 128+15.
    code, result = stop_a_running_stage(cli, 0)
    assert code == 128 + signal.SIGTERM and result["status"] == "failed", result
    assert result["exit_code"] == 128 + signal.SIGTERM
    assert entries(cdir) == []


def test_corrupted_or_partial_entry_is_a_miss_and_removed(cli, cdir):
    write("in.txt", "q\n")
    key = cli.run_json(*STAGE)["key"]
    path = os.path.join(cdir, "entries", key[:2], key + ".json")
    text = open(path).read()
    write(path, text[: len(text) // 2])
    p = cli("run", "--json", *STAGE, check=0)
    assert json.loads(p.stdout)["status"] == "miss"
    assert "invalid" in p.stderr and "removed" in p.stderr
    assert runs() == 2
    # A partial entry: its blob is gone.
    entry = json.load(open(path))
    os.remove(os.path.join(cdir, "blobs", entry["outputs"][0]["sha256"][:2], entry["outputs"][0]["sha256"]))
    assert cli.run_json(*STAGE)["status"] == "miss"
    assert runs() == 3
    cli("verify", check=0)


def test_verify_finds_a_flipped_blob(cli, cdir):
    write("in.txt", "abc\n")
    key = cli.run_json(*STAGE)["key"]
    entry = json.load(open(os.path.join(cdir, "entries", key[:2], key + ".json")))
    blob = os.path.join(cdir, "blobs", entry["outputs"][0]["sha256"][:2], entry["outputs"][0]["sha256"])
    os.chmod(blob, 0o644)
    write(blob, "ABD\n")
    p = cli("verify", check=1)
    assert "INVALID " + key in p.stdout and "corrupted" in p.stderr
    # run detects it too (hashing while copying), drops the entry and recomputes.
    r = cli.run_json(*STAGE)
    assert r["status"] == "miss" and open("out/up.txt").read() == "ABC\n"
    cli("verify", check=0)


def test_input_changed_during_the_run_is_not_cached(cli, cdir):
    write("in.txt", "v1\n")
    r = cli.run_json("--dep", "in.txt", "--out", "o.txt", "--", "sh", "-c", "cp in.txt o.txt; echo v2 >> in.txt")
    assert r["status"] == "uncached" and "changed while the stage ran" in r["reason"]
    assert entries(cdir) == []


def test_gc_by_size_and_age_keeps_entries_whole(cli, cdir):
    keys = []
    for i in range(4):
        write("in.txt", "%d\n" % i * 1000)
        keys.append(cli.run_json("--dep", "in.txt", "--out", "o%d" % i, "--", "sh", "-c",
                                 "cp in.txt o%d" % i)["key"])
    # Touch the oldest: a hit makes it the most recently used.
    write("in.txt", "%d\n" % 0 * 1000)
    assert cli.run_json("--dep", "in.txt", "--out", "o0", "--", "sh", "-c", "cp in.txt o0")["status"] == "hit"
    gc = json.loads(cli("gc", "--max-size", "4500", "--json", check=0).stdout)
    assert gc["evicted"] == [keys[1], keys[2]]
    assert sorted(entries(cdir)) == sorted([keys[0], keys[3]])
    cli("verify", check=0)  # every remaining entry has all its blobs
    gc = json.loads(cli("gc", "--max-age", "0s", "--json", check=0).stdout)
    assert sorted(gc["evicted"]) == sorted([keys[0], keys[3]])
    assert entries(cdir) == [] and gc["bytes_after"] == 0
    cli("gc", "--max-size", "lots", check=2)
    cli("gc", "--max-age", "7", check=2)


def test_unwritable_cache_runs_the_command_uncached(cli):
    write("in.txt", "r\n")
    p = subprocess.run([binary_path(), "cache", "run",
                        "--cache-dir", "/sys/mlcost-cache", "--json", *STAGE], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    r = json.loads(p.stdout)
    assert r["status"] == "uncached" and "cannot be written" in r["reason"]
    assert "cache disabled" in p.stderr
    assert open("out/up.txt").read() == "R\n"


def test_full_disk_stores_nothing(cli, cdir):
    # A file size limit makes the cache's own writes fail with EFBIG, like a full disk; the stage
    # raises its own limit back, so only the store fails.
    write("in.txt", "x" * 200000)
    script = "ulimit -S -f unlimited; cp in.txt big.bin"
    p = subprocess.run(["sh", "-c", 'ulimit -S -f 100; exec "$0" "$@"', binary_path(),
                        "cache", "run", "--cache-dir", cdir, "--json", "--dep", "in.txt", "--out", "big.bin",
                        "--", "sh", "-c", script], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    r = json.loads(p.stdout)
    assert r["status"] == "uncached" and "could not be stored" in r["reason"]
    assert entries(cdir) == []
    assert os.path.getsize("big.bin") == 200000
    tmp = os.path.join(cdir, "tmp")
    assert os.listdir(tmp) == []


def test_bad_input(cli, cdir):
    write("in.txt", "b\n")
    for bad in (["--out", "../escape"], ["--out", "/tmp/abs"]):
        p = cli("run", *bad, "--", "true", check=2)
        assert "--out" in p.stderr
    p = cli("run", "--key", "../../etc", "--out", "o", "--", "true", check=2)
    assert "--key" in p.stderr
    p = cli("run", "--dep", "missing.csv", "--out", "o", "--", "sh", "-c", "echo x >> runs", check=1)
    assert "missing.csv" in p.stderr and runs() == 0
    p = cli("run", "--out", "never.bin", "--", "true", check=1)
    assert "never.bin" in p.stderr and "not created" in p.stderr
    assert entries(cdir) == []
    p = cli("run", "--out", "o", "--", "no-such-command-xyz", check=1)
    assert "no-such-command-xyz" in p.stderr
    p = cli("run", "--param", "novalue", "--out", "o", "--", "true", check=2)
    p = cli("run", "--out", "o", "--", "sh", "-c", "exit 7", check=7)
    assert entries(cdir) == []
    cli("run", "--out", "o", check=2)  # no command


def test_user_key(cli):
    write("in.txt", "k\n")
    args = ["--key", "prep/v1", "--dep", "in.txt", "--out", "o.txt", "--", "sh", "-c", "echo x >> runs; cp in.txt o.txt"]
    assert cli.run_json(*args)["status"] == "miss"
    write("in.txt", "changed\n")
    assert cli.run_json(*args)["status"] == "hit"  # the user owns invalidation
    assert runs() == 1
    ls = json.loads(cli("ls", "--json", check=0).stdout)["entries"]
    assert ls[0]["label"] == "prep/v1" and ls[0]["valid"]


def test_push_pull_through_s3rver_verified_on_pull(cli, cdir, tmp_path, s3rver, bucket):
    env = s3_env(s3rver)
    write("in.txt", "shared\n")
    remote = "s3://%s/team" % bucket
    key = cli.run_json(*STAGE)["key"]
    p = cli("push", "--remote", remote, "--json", check=0, env=env)
    assert json.loads(p.stdout)["entries"] == [key]
    s3 = s3rver.boto3()
    names = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert "team/entries/%s.json" % key in names
    other = str(tmp_path / "cache2")
    p = subprocess.run([binary_path(), "cache", "pull", "--cache-dir", other, "--remote", remote,
                        "--json"], capture_output=True, text=True, env=env)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["entries"] == [key]
    os.remove("out/up.txt")
    p = subprocess.run([binary_path(), "cache", "run", "--cache-dir", other, "--json"] + STAGE,
                       capture_output=True, text=True, env=env)
    assert json.loads(p.stdout)["status"] == "hit" and open("out/up.txt").read() == "SHARED\n"

    # A tampered blob on the remote is refused, and nothing of it lands in the local cache.
    entry = json.loads(s3.get_object(Bucket=bucket, Key="team/entries/%s.json" % key)["Body"].read())
    sha = entry["outputs"][0]["sha256"]
    s3.put_object(Bucket=bucket, Key="team/blobs/" + sha, Body=b"SHARED!")
    third = str(tmp_path / "cache3")
    p = subprocess.run([binary_path(), "cache", "pull", "--cache-dir", third, "--remote", remote],
                       capture_output=True, text=True, env=env)
    assert p.returncode == 1 and "does not match" in p.stderr
    assert entries(third) == []


def test_run_with_remote_pulls_on_a_miss(cli, tmp_path, s3rver, bucket):
    env = s3_env(s3rver)
    write("in.txt", "remote\n")
    remote = "s3://%s/r" % bucket
    first = cli.run_json("--remote", remote, *STAGE, env=env)  # miss: stored and pushed
    assert first["status"] == "miss"
    other = str(tmp_path / "elsewhere")
    p = subprocess.run([binary_path(), "cache", "run", "--cache-dir", other, "--remote", remote,
                        "--json"] + STAGE, capture_output=True, text=True, env=env)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["status"] == "hit"
    assert runs() == 1
