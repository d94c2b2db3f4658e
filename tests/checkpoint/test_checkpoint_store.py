"""`mlcost checkpoint` against a real s3rver and real S3 clients (boto3, the aws CLI), and on a
local directory: each side reads what the other wrote, in the layout of docs/checkpoints.md."""
import hashlib
import json
import os
import subprocess

import pytest

from conftest import binary_path, mlcost, s3_env


def sha256_bytes(data):
    return hashlib.sha256(data).hexdigest()


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return str(path)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def keys(s3, bucket, prefix=""):
    out = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        out += [o["Key"] for o in page.get("Contents", [])]
    return sorted(out)


def boto3_save(s3, bucket, prefix, name, files, created_at, step=None, metrics=None):
    """Writes a checkpoint the way any other writer would: data first, manifest last."""
    entries = []
    for path, data in files.items():
        s3.put_object(Bucket=bucket, Key="%s/%s/data/%s" % (prefix, name, path), Body=data)
        entries.append({"path": path, "size": len(data), "sha256": sha256_bytes(data)})
    manifest = {"format": "mlcost-checkpoint/1", "name": name, "created_at": created_at, "step": step,
                "metrics": metrics or {}, "files": entries}
    s3.put_object(Bucket=bucket, Key="%s/%s/MANIFEST.json" % (prefix, name), Body=json.dumps(manifest).encode())


def test_mlcost_writes_boto3_reads(s3rver, s3, bucket, tmp_path):
    data = os.urandom(100_000)
    model = write(tmp_path / "model.pt", data)
    write(tmp_path / "state" / "optim.bin", b"optimizer state")
    out = mlcost("checkpoint", "save", "--store", "s3://%s/runs/r1" % bucket, "--s3-endpoint", s3rver.endpoint,
                 "--name", "step-000400", "--step", "400", "--metric", "val_loss=0.25", "--json", model,
                 str(tmp_path / "state"), env=s3_env(), check=0)
    printed = json.loads(out.stdout)
    assert keys(s3, bucket) == ["runs/r1/step-000400/MANIFEST.json", "runs/r1/step-000400/data/model.pt",
                                "runs/r1/step-000400/data/state/optim.bin"]
    manifest = json.loads(s3.get_object(Bucket=bucket, Key="runs/r1/step-000400/MANIFEST.json")["Body"].read())
    assert manifest == printed
    assert manifest["format"] == "mlcost-checkpoint/1"
    assert manifest["name"] == "step-000400"
    assert manifest["step"] == 400
    assert manifest["metrics"] == {"val_loss": 0.25}
    assert manifest["created_at"].endswith("Z") and len(manifest["created_at"]) == len("2026-12-01T16:20:00.123456Z")
    by_path = {f["path"]: f for f in manifest["files"]}
    assert set(by_path) == {"model.pt", "state/optim.bin"}
    for path, original in (("model.pt", data), ("state/optim.bin", b"optimizer state")):
        stored = s3.get_object(Bucket=bucket, Key="runs/r1/step-000400/data/" + path)["Body"].read()
        assert stored == original
        assert by_path[path]["size"] == len(original)
        assert by_path[path]["sha256"] == sha256_bytes(stored)


def test_boto3_writes_mlcost_reads(s3rver, s3, bucket, tmp_path):
    boto3_save(s3, bucket, "p", "epoch-1", {"w.bin": b"one"}, "2026-12-01T10:00:00.000000Z", 1, {"acc": 0.5})
    boto3_save(s3, bucket, "p", "epoch-2", {"w.bin": b"two", "sub/extra.json": b"{}"},
               "2026-12-01T11:00:00.000000Z", 2, {"acc": 0.7})
    env = s3_env(endpoint=s3rver.endpoint)
    store = "s3://%s/p" % bucket
    mlcost("checkpoint", "verify", "--store", store, env=env, check=0)
    fetch_dir = tmp_path / "fetched"
    out = mlcost("checkpoint", "latest", "--store", store, "--fetch-to", str(fetch_dir), "--json", env=env, check=0)
    latest = json.loads(out.stdout)
    assert latest["name"] == "epoch-2"
    assert sorted(latest["paths"]) == sorted([str(fetch_dir / "w.bin"), str(fetch_dir / "sub" / "extra.json")])
    assert read(fetch_dir / "w.bin") == b"two"
    assert read(fetch_dir / "sub" / "extra.json") == b"{}"
    text = mlcost("checkpoint", "latest", "--store", store, env=env, check=0).stdout.splitlines()
    assert text[0] == "epoch-2"
    assert sorted(text[1:]) == ["%s/epoch-2/data/sub/extra.json" % store, "%s/epoch-2/data/w.bin" % store]
    listed = json.loads(mlcost("checkpoint", "list", "--store", store, "--json", env=env, check=0).stdout)
    assert [c["name"] for c in listed] == ["epoch-1", "epoch-2"]


def test_tampered_object_is_detected_and_skipped(s3rver, s3, bucket, tmp_path):
    env = s3_env(endpoint=s3rver.endpoint)
    store = "s3://%s/t" % bucket
    for i, content in enumerate([b"good checkpoint", b"will be tampered"]):
        mlcost("checkpoint", "save", "--store", store, "--name", "ck-%d" % i, "--step", str(i),
               write(tmp_path / ("f%d.bin" % i), content), env=env, check=0)
    s3.put_object(Bucket=bucket, Key="t/ck-1/data/f1.bin", Body=b"will be tampereD")  # same size
    latest = mlcost("checkpoint", "latest", "--store", store, "--fetch-to", str(tmp_path / "out"), env=env, check=0)
    assert latest.stdout.splitlines()[0] == "ck-0"
    assert "skipping checkpoint 'ck-1'" in latest.stderr and "sha256" in latest.stderr, latest.stderr
    assert read(tmp_path / "out" / "f0.bin") == b"good checkpoint"
    assert not (tmp_path / "out" / "f1.bin").exists()
    verify = mlcost("checkpoint", "verify", "--store", store, env=env, check=1)
    assert "checkpoint 'ck-1' is invalid: file 'f1.bin': sha256 is" in verify.stderr, verify.stderr
    assert "ck-0" not in verify.stderr
    one = json.loads(mlcost("checkpoint", "verify", "--store", store, "ck-0", "--json", env=env, check=0).stdout)
    assert one == [{"name": "ck-0", "valid": True}]
    # A truncated object: the size is wrong.
    s3.put_object(Bucket=bucket, Key="t/ck-0/data/f0.bin", Body=b"good")
    verify = mlcost("checkpoint", "verify", "--store", store, "ck-0", env=env, check=1)
    assert "file 'f0.bin' is 4 bytes, the manifest says 15" in verify.stderr, verify.stderr
    none = mlcost("checkpoint", "latest", "--store", store, env=env, check=1)
    assert "no valid checkpoint in " + store in none.stderr


def test_gc_keeps_newest_and_best(s3rver, s3, bucket, tmp_path):
    # created_at is set by the writer, so boto3 writes them with known times; mlcost collects.
    losses = {"s1": 0.9, "s2": 0.1, "s3": 0.5, "s4": 0.05, "s5": 0.7, "s6": 0.8}
    for i, (name, loss) in enumerate(losses.items()):
        boto3_save(s3, bucket, "g", name, {"m.bin": name.encode()}, "2026-12-01T1%d:00:00.000000Z" % i, i,
                   {"loss": loss})
    s3.put_object(Bucket=bucket, Key="g/s4/data/m.bin", Body=b"XX")  # the best one is corrupt
    env = s3_env(endpoint=s3rver.endpoint)
    out = mlcost("checkpoint", "gc", "--store", "s3://%s/g" % bucket, "--keep-last", "2", "--keep-best", "1",
                 "--metric", "loss", "--mode", "min", "--json", env=env, check=0)
    result = json.loads(out.stdout)
    assert sorted(result["kept"]) == ["s2", "s5", "s6"]
    assert sorted(result["deleted"]) == ["s1", "s3", "s4"]
    assert "checkpoint 's4' is invalid" in out.stderr
    assert keys(s3, bucket, "g/") == ["g/%s/%s" % (n, k) for n in ("s2", "s5", "s6")
                                       for k in ("MANIFEST.json", "data/m.bin")]


def test_multipart_sized_file_round_trips(s3rver, s3, bucket, tmp_path):
    data = os.urandom(300_000)
    env = s3_env(endpoint=s3rver.endpoint, extra={"MLCOST_S3_PART_SIZE": "65536"})
    store = "s3://%s/mp" % bucket
    before = s3rver.log().count("Stored part")
    mlcost("checkpoint", "save", "--store", store, "--name", "big", write(tmp_path / "big.bin", data),
           env=env, check=0)
    assert s3rver.log().count("Stored part") - before == 5  # ceil(300000 / 65536) parts
    stored = s3.get_object(Bucket=bucket, Key="mp/big/data/big.bin")["Body"].read()
    assert stored == data
    manifest = json.loads(s3.get_object(Bucket=bucket, Key="mp/big/MANIFEST.json")["Body"].read())
    assert manifest["files"][0]["sha256"] == sha256_bytes(data)
    mlcost("checkpoint", "latest", "--store", store, "--fetch-to", str(tmp_path / "back"), env=env, check=0)
    assert read(tmp_path / "back" / "big.bin") == data


def test_aws_cli_lists_what_mlcost_wrote(s3rver, bucket, tmp_path):
    env = s3_env(endpoint=s3rver.endpoint)
    mlcost("checkpoint", "save", "--store", "s3://%s/cli" % bucket, "--name", "n1",
           write(tmp_path / "a.bin", b"abc"), env=env, check=0)
    aws_env = dict(env)
    aws_env.pop("MLCOST_S3_ENDPOINT_URL")
    aws_env["AWS_DEFAULT_REGION"] = "us-east-1"
    aws_env["AWS_CONFIG_FILE"] = os.devnull
    aws_env["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    ls = subprocess.run(["aws", "--endpoint-url", s3rver.endpoint, "s3", "ls", "--recursive", "s3://%s/cli/" % bucket],
                        capture_output=True, text=True, env=aws_env, timeout=120)
    assert ls.returncode == 0, ls.stderr
    lines = ls.stdout.splitlines()
    assert any(line.endswith(" 3 cli/n1/data/a.bin") for line in lines), ls.stdout
    assert any(line.endswith("cli/n1/MANIFEST.json") for line in lines), ls.stdout


def test_local_store_cli(tmp_path):
    store = str(tmp_path / "store")
    a = write(tmp_path / "a.pt", b"aaaa")
    mlcost("checkpoint", "save", "--store", store, "--name", "one", "--metric", "acc=0.5", a, check=0)
    mlcost("checkpoint", "save", "--store", "file://" + store, "--name", "two", "--step", "2", a, check=0)
    assert os.path.exists(os.path.join(store, "two", "MANIFEST.json"))
    listed = mlcost("checkpoint", "list", "--store", store, check=0).stdout
    assert listed.splitlines()[0].split() == ["name", "created_at", "step", "files", "size", "metrics"]
    assert [line.split()[0] for line in listed.splitlines()[1:]] == ["one", "two"]
    latest = mlcost("checkpoint", "latest", "--store", store, check=0).stdout.splitlines()
    assert latest == ["two", os.path.join(store, "two", "data", "a.pt")], latest
    copied = mlcost("checkpoint", "latest", "--store", store, "--fetch-to", str(tmp_path / "copy"), check=0)
    assert copied.stdout.splitlines()[1] == str(tmp_path / "copy" / "a.pt")
    assert read(tmp_path / "copy" / "a.pt") == b"aaaa"
    # Truncate the newest: latest falls back with a warning, verify names it and exits 1.
    with open(os.path.join(store, "two", "data", "a.pt"), "wb") as f:
        f.write(b"a")
    latest = mlcost("checkpoint", "latest", "--store", store, check=0)
    assert latest.stdout.splitlines()[0] == "one"
    assert "skipping checkpoint 'two': file 'a.pt' is 1 bytes, the manifest says 4" in latest.stderr
    verify = mlcost("checkpoint", "verify", "--store", store, check=1)
    assert verify.stdout.split() == ["ok", "one", "INVALID", "two"]
    gc = json.loads(mlcost("checkpoint", "gc", "--store", store, "--keep-last", "1", "--json", check=0).stdout)
    assert gc == {"kept": ["one"], "deleted": [], "kept_invalid": ["two"]}


def test_cli_errors_and_exit_codes(tmp_path):
    store = str(tmp_path / "store")
    a = write(tmp_path / "a.pt", b"x")
    assert mlcost("checkpoint", "save", "--name", "x", a).returncode == 2  # --store missing
    bad_metric = mlcost("checkpoint", "save", "--store", store, "--name", "x", "--metric", "loss=abc", a, check=2)
    assert "--metric 'loss=abc'" in bad_metric.stderr
    bad_name = mlcost("checkpoint", "save", "--store", store, "--name", ".hidden", a, check=2)
    assert "must not start with '.'" in bad_name.stderr
    missing = mlcost("checkpoint", "save", "--store", store, "--name", "x", str(tmp_path / "nope"), check=1)
    assert "nope" in missing.stderr
    mlcost("checkpoint", "save", "--store", store, "--name", "x", a, check=0)
    again = mlcost("checkpoint", "save", "--store", store, "--name", "x", a, check=1)
    assert "already exists" in again.stderr
    assert "no checkpoint 'nope'" in mlcost("checkpoint", "verify", "--store", store, "nope", check=1).stderr
    assert mlcost("checkpoint", "gc", "--store", store, "--keep-last", "0", check=2).stderr
    assert "--keep-best needs --metric" in mlcost("checkpoint", "gc", "--store", store, "--keep-last", "1",
                                                   "--keep-best", "2", check=2).stderr
    assert "unsupported scheme" in mlcost("checkpoint", "list", "--store", "gs://b/p", check=2).stderr
    no_creds = mlcost("checkpoint", "list", "--store", "s3://b/p", env={"PATH": os.environ["PATH"]}, check=2)
    assert "AWS_ACCESS_KEY_ID" in no_creds.stderr
    empty = mlcost("checkpoint", "latest", "--store", str(tmp_path / "empty"), check=1)
    assert "no valid checkpoint" in empty.stderr


def test_disk_full_save_leaves_nothing(tmp_path):
    """A save that hits a file size limit (ulimit -f, like a full disk) fails cleanly."""
    store = str(tmp_path / "store")
    big = write(tmp_path / "big.bin", os.urandom(3 * 1024 * 1024))
    proc = subprocess.run(["bash", "-c", 'ulimit -f 1024 && exec "$0" "$@"', binary_path(), "checkpoint", "save",
                           "--store", store, "--name", "big", big], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert "File too large" in proc.stderr
    leftovers = [os.path.join(d, f) for d, _, files in os.walk(store) for f in files]
    assert leftovers == []
    assert mlcost("checkpoint", "list", "--store", store, "--json", check=0).stdout.strip() == "[]"
