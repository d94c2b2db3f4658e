"""The checkpoint store layout of docs/checkpoints.md: names, MANIFEST.json, ordering.

    <name>/data/<file>      the checkpoint's files
    <name>/MANIFEST.json    written last; a checkpoint without it does not exist
"""
import datetime
import json
import math
import re

FORMAT = "mlcost-checkpoint/1"
MANIFEST = "MANIFEST.json"
_NAME_RE = re.compile(r"^[A-Za-z0-9._-]{1,200}$")
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")


def valid_name(name):
    return isinstance(name, str) and bool(_NAME_RE.match(name)) and not name.startswith(".")


def sanitize_name(text):
    """A file name turned into an allowed checkpoint name (what the agent does too)."""
    name = re.sub(r"[^A-Za-z0-9._-]", "_", text).lstrip(".")[:200]
    return name or "checkpoint"


def step_from_name(name):
    """The first run of digits in a file name, or None."""
    m = re.search(r"\d+", name)
    return int(m.group(0)) if m else None


def data_key(name, relpath):
    return "%s/data/%s" % (name, relpath)


def manifest_key(name):
    return "%s/%s" % (name, MANIFEST)


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def safe_relpath(path):
    """True for a relative '/'-separated path that stays inside data/ (no '..', no absolute)."""
    if not isinstance(path, str) or not path or path.startswith("/") or "\\" in path or "\0" in path:
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))


def build_manifest(name, step, metrics, files):
    """files: [{"path", "size", "sha256"}] -> the manifest text (UTF-8 JSON)."""
    if step is not None and (isinstance(step, bool) or not isinstance(step, int)):
        raise TypeError("step must be an int or None, got %r" % (step,))
    clean = {}
    for key, value in (metrics or {}).items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) and not hasattr(value, "__float__"):
            raise TypeError("metric %r: value must be a number" % key)
        value = float(value) if not isinstance(value, int) else value
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("metric %r: %r cannot be stored in a manifest (JSON has no NaN/Infinity)" % (key, value))
        clean[str(key)] = value
    doc = {"format": FORMAT, "name": name, "created_at": now_iso(), "step": step, "metrics": clean,
           "files": [{"path": f["path"], "size": f["size"], "sha256": f["sha256"]} for f in files]}
    return json.dumps(doc, indent=2) + "\n"


def parse_manifest(text, name):
    """Parses and checks a manifest; returns the dict or raises ValueError naming the fault."""
    try:
        doc = json.loads(text)
    except ValueError as e:
        raise ValueError("manifest is not valid JSON (%s)" % e) from None
    if not isinstance(doc, dict):
        raise ValueError("manifest is not a JSON object")
    if doc.get("format") != FORMAT:
        raise ValueError("manifest format is %r, expected %r" % (doc.get("format"), FORMAT))
    if doc.get("name") != name:
        raise ValueError("manifest names %r, but lies under %r" % (doc.get("name"), name))
    if not isinstance(doc.get("created_at"), str) or parse_time(doc["created_at"]) is None:
        raise ValueError("manifest created_at %r is not an ISO 8601 UTC time" % (doc.get("created_at"),))
    step = doc.get("step")
    if step is not None and (isinstance(step, bool) or not isinstance(step, int)):
        raise ValueError("manifest step %r is not an integer or null" % (step,))
    if not isinstance(doc.get("metrics", {}), dict):
        raise ValueError("manifest metrics is not an object")
    files = doc.get("files")
    if not isinstance(files, list) or not files:
        raise ValueError("manifest lists no files")
    seen = set()
    for f in files:
        if not isinstance(f, dict) or not safe_relpath(f.get("path")):
            raise ValueError("manifest file entry %r has no safe relative path" % (f,))
        if f["path"] in seen:
            raise ValueError("file %s is listed twice" % f["path"])
        seen.add(f["path"])
        if isinstance(f.get("size"), bool) or not isinstance(f.get("size"), int) or f["size"] < 0:
            raise ValueError("file %s: size %r is not a non-negative integer" % (f.get("path"), f.get("size")))
        if not isinstance(f.get("sha256"), str) or not _SHA_RE.match(f["sha256"]):
            raise ValueError("file %s: sha256 %r is not 64 lowercase hex digits" % (f["path"], f.get("sha256")))
    doc.setdefault("metrics", {})
    doc.setdefault("step", None)
    return doc


_TIME_RE = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})?$")


def parse_time(text):
    """An ISO 8601 time (any number of fraction digits, Z or an offset) as an aware datetime,
    or None."""
    m = _TIME_RE.match(text)
    if not m:
        return None
    fraction = (m.group(2) or "").ljust(6, "0")[:6]
    zone = m.group(3) or "Z"
    try:
        t = datetime.datetime.fromisoformat("%s.%s%s" % (m.group(1), fraction, "+00:00" if zone == "Z" else zone))
    except ValueError:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=datetime.timezone.utc)
    return t


def order_key(doc):
    """Newest last: created_at, then step (null first), then name."""
    step = doc.get("step")
    return (parse_time(doc["created_at"]), step is not None, step if step is not None else 0, doc["name"])
