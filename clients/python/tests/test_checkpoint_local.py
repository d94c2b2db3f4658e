"""Checkpoints in a local store: the layout of docs/checkpoints.md, latest / verify / resume_path,
tampered and incomplete checkpoints skipped, and the hand-off to `mlcost run`."""
import hashlib
import json
import os

import pytest

from mlcost import checkpoint


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)
    return str(path)


def test_save_writes_data_then_manifest_in_the_documented_layout(tmp_path):
    store = str(tmp_path / "store")
    src = write(tmp_path / "model.pt", b"weights" * 1000)
    ckpt = checkpoint.save(src, name="step-000400", step=400, metrics={"val_loss": 0.25}, store=store)
    assert sorted(os.listdir(os.path.join(store, "step-000400"))) == ["MANIFEST.json", "data"]
    data_path = os.path.join(store, "step-000400", "data", "model.pt")
    with open(data_path, "rb") as f:
        assert f.read() == b"weights" * 1000
    with open(os.path.join(store, "step-000400", "MANIFEST.json")) as f:
        manifest = json.load(f)
    assert manifest["format"] == "mlcost-checkpoint/1"
    assert manifest["name"] == "step-000400" and manifest["step"] == 400
    assert manifest["metrics"] == {"val_loss": 0.25}
    assert manifest["files"] == [{"path": "model.pt", "size": 7000, "sha256": sha256(b"weights" * 1000)}]
    assert manifest["created_at"].endswith("Z")
    assert ckpt.path == data_path and ckpt.step == 400
    assert [n for n in os.listdir(os.path.join(store, "step-000400", "data")) if n.startswith(".")] == []


def test_latest_is_the_newest_valid_and_tampered_ones_are_skipped_with_a_warning(tmp_path):
    store = str(tmp_path / "store")
    for step in (100, 200, 300):
        checkpoint.save(("state at %d" % step).encode(), name="step-%06d" % step, step=step, filename="model.bin",
                        store=store)
    assert checkpoint.latest(store).name == "step-000300"

    newest = os.path.join(store, "step-000300", "data", "model.bin")
    write(newest, b"state at 999")  # same size, other bytes
    with pytest.warns(checkpoint.CheckpointWarning, match=r"step-000300.*sha256"):
        found = checkpoint.latest(store)
    assert found.name == "step-000200"
    with open(found.path, "rb") as f:
        assert f.read() == b"state at 200"

    write(os.path.join(store, "step-000200", "data", "model.bin"), b"state")  # truncated
    with pytest.warns(checkpoint.CheckpointWarning, match=r"step-000200.*bytes"):
        assert checkpoint.latest(store).name == "step-000100"

    os.unlink(os.path.join(store, "step-000100", "data", "model.bin"))
    with pytest.warns(checkpoint.CheckpointWarning, match=r"step-000100.*missing"):
        assert checkpoint.latest(store) is None

    results = {r.name: r for r in checkpoint.verify(store)}
    assert not any(r.valid for r in results.values())
    assert "sha256" in results["step-000300"].problems[0]
    assert "missing" in results["step-000100"].problems[0]


def test_a_checkpoint_without_manifest_does_not_exist(tmp_path):
    store = tmp_path / "store"
    checkpoint.save(b"old", name="a", step=1, store=str(store))
    os.makedirs(store / "b" / "data")
    write(store / "b" / "data" / "b", b"half-written")
    assert [c.name for c in checkpoint.list(str(store))] == ["a"]
    assert checkpoint.latest(str(store)).name == "a"


def test_a_broken_manifest_is_skipped(tmp_path):
    store = tmp_path / "store"
    checkpoint.save(b"one", name="one", step=1, store=str(store))
    checkpoint.save(b"two", name="two", step=2, store=str(store))
    write(store / "two" / "MANIFEST.json", b"{not json")
    with pytest.warns(checkpoint.CheckpointWarning, match="two"):
        assert checkpoint.latest(str(store)).name == "one"
    assert {r.name: r.valid for r in checkpoint.verify(str(store))} == {"one": True, "two": False}


def test_order_is_created_at_then_step_then_name(tmp_path):
    store = tmp_path / "store"
    for name, step in (("b", 5), ("a", 5), ("c", 1)):
        checkpoint.save(name.encode(), name=name, step=step, store=str(store))
    for name in ("a", "b", "c"):  # give all the same created_at: step then name decide
        path = store / name / "MANIFEST.json"
        doc = json.loads(path.read_text())
        doc["created_at"] = "2026-12-01T16:20:00.123456Z"
        path.write_text(json.dumps(doc))
    assert [c.name for c in checkpoint.list(str(store))] == ["c", "a", "b"]
    assert checkpoint.latest(str(store)).name == "b"


def test_save_a_callable_a_directory_and_overwrite(tmp_path):
    store = str(tmp_path / "store")
    ckpt = checkpoint.save(lambda p: write(p, b"from a callable"), name="fn", filename="model.pt", step=7,
                           store=store)
    with open(ckpt.path, "rb") as f:
        assert f.read() == b"from a callable"
    assert ckpt.path.endswith(os.path.join("fn", "data", "model.pt"))
    assert [n for n in os.listdir(store) if n.startswith(".")] == []  # the scratch directory is gone

    tree = tmp_path / "hf"
    os.makedirs(tree / "sub")
    write(tree / "config.json", b"{}")
    write(tree / "sub" / "weights.bin", b"\x00" * 4096)
    ckpt = checkpoint.save(str(tree), name="tree", step=8, store=store)
    assert sorted(f["path"] for f in ckpt.files) == ["config.json", "sub/weights.bin"]
    assert checkpoint.resume_path(store) == os.path.join(store, "tree", "data")

    checkpoint.save(b"new bytes", name="fn", filename="model.pt", step=9, store=store)
    assert checkpoint.latest(store).name == "fn"
    with open(checkpoint.resume_path(store), "rb") as f:
        assert f.read() == b"new bytes"
    assert all(r.valid for r in checkpoint.verify(store))


def test_bad_names_and_values_are_refused(tmp_path):
    store = str(tmp_path / "store")
    for bad in (".hidden", "a/b", "x" * 201, "", "sp ace"):
        with pytest.raises(ValueError):
            checkpoint.save(b"x", name=bad, store=store)
    with pytest.raises(ValueError, match="NaN"):
        checkpoint.save(b"x", name="ok", metrics={"loss": float("nan")}, store=store)
    with pytest.raises(TypeError):
        checkpoint.save(b"x", name="ok", step="3", store=store)


def test_resume_path_prefers_mlcost_resume_from(tmp_path, monkeypatch):
    store = str(tmp_path / "store")
    assert checkpoint.resume_path(store) is None
    checkpoint.save(b"s", name="s1", step=1, store=store)
    assert checkpoint.resume_path(store) == os.path.join(store, "s1", "data", "s1")
    monkeypatch.setenv("MLCOST_RESUME_FROM", "/given/by/mlcost-run.pt")
    assert checkpoint.resume_path(store) == "/given/by/mlcost-run.pt"
    monkeypatch.setenv("MLCOST_RESUME_FROM", "")  # a first attempt: empty means "none"
    assert checkpoint.resume_path(store) == os.path.join(store, "s1", "data", "s1")


def test_default_store_is_the_runs_local_store(tmp_path, monkeypatch):
    monkeypatch.setenv("MLCOST_RUN_ID", "abc123")
    ckpt = checkpoint.save(b"d", name="d1", step=1)
    assert ckpt.store == os.path.join(str(tmp_path), ".mlcost", "store", "abc123")
    assert checkpoint.latest().name == "d1"


def test_under_mlcost_run_save_hands_a_complete_file_to_the_agent(tmp_path, monkeypatch):
    agent_dir = tmp_path / "agent"
    os.makedirs(agent_dir)
    monkeypatch.setenv("MLCOST_CHECKPOINT_DIR", str(agent_dir))
    ckpt = checkpoint.save(lambda p: write(p, b"torch bytes"), step=40)
    assert os.listdir(agent_dir) == ["step-000040.ckpt"]  # no temp file left, no manifest
    assert ckpt.path == str(agent_dir / "step-000040.ckpt")
    src = write(tmp_path / "epoch-3.pt", b"from a file")
    checkpoint.save(src)
    checkpoint.save(b"raw", name="last.bin")
    assert sorted(os.listdir(agent_dir)) == ["epoch-3.pt", "last.bin", "step-000040.ckpt"]
    assert (agent_dir / "epoch-3.pt").read_bytes() == b"from a file"
    # An explicit store still gets a full checkpoint.
    ckpt = checkpoint.save(b"explicit", name="e", store=str(tmp_path / "store"))
    assert os.path.exists(os.path.join(str(tmp_path / "store"), "e", "MANIFEST.json"))


def test_a_failing_save_function_leaves_nothing_behind(tmp_path, monkeypatch):
    agent_dir = tmp_path / "agent"
    os.makedirs(agent_dir)
    monkeypatch.setenv("MLCOST_CHECKPOINT_DIR", str(agent_dir))

    def half_write(path):
        write(path, b"partial")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        checkpoint.save(half_write, name="x.pt")
    assert os.listdir(agent_dir) == []


def test_torch_state_round_trip(tmp_path):
    import torch
    store = str(tmp_path / "store")
    torch.manual_seed(0)
    model = torch.nn.Linear(8, 3)
    checkpoint.save(lambda p: torch.save(model.state_dict(), p), name="step-000010", filename="model.pt",
                    step=10, metrics={"loss": 0.5}, store=store)
    state = torch.load(checkpoint.resume_path(store))
    other = torch.nn.Linear(8, 3)
    other.load_state_dict(state)
    assert torch.equal(other.weight, model.weight) and torch.equal(other.bias, model.bias)


def test_created_at_written_with_other_precisions_orders_by_time(tmp_path):
    store = tmp_path / "store"
    stamps = {"a": "2026-12-01T16:20:00.5Z", "b": "2026-12-01T16:20:00Z", "c": "2026-12-01T16:20:00.123+00:00"}
    for name, stamp in stamps.items():
        checkpoint.save(name.encode(), name=name, step=1, store=str(store))
        path = store / name / "MANIFEST.json"
        doc = json.loads(path.read_text())
        doc["created_at"] = stamp
        path.write_text(json.dumps(doc))
    assert [c.name for c in checkpoint.list(str(store))] == ["b", "c", "a"]
