"""The SQL console and saved-query exports through the real server: a query over an ingested FOCUS
bill checked against Python's own Decimal sums of the file, the run views, forbidden statements
that change nothing, the row cap, the time limit, and scheduled exports read back as CSV (Python's
csv module) and Parquet (a small Thrift reader of the file footer, no code shared with DuckDB)."""
import csv
import decimal
import io
import json
import os
import re
import struct
import subprocess
import time

import pytest
import requests

from conftest import REPO_ROOT, ServerFactory, assert_error, binary_path, unique

BILL = os.path.abspath(os.path.join(REPO_ROOT, "..", "shared", "data", "billing", "focus",
                                    "focus-1.0_focus_sample_1000.csv"))
D = decimal.Decimal


@pytest.fixture(scope="module")
def srv(mlcost_binary, tmp_path_factory):
    tmp = str(tmp_path_factory.mktemp("sql"))
    factory = ServerFactory(tmp)
    export_root = os.path.join(tmp, "bi-root")
    s = factory.start(extra_args=["--export-dir", export_root])
    s.export_root = export_root
    r = s.post("/api/v1/ingests", json={"paths": [BILL]})
    assert r.status_code == 201, r.text
    try:
        yield s
    finally:
        factory.cleanup()


def sql(s, query, **extra):
    return s.post("/api/v1/sql", json={"sql": query, **extra})


def rows(s, query):
    r = sql(s, query)
    assert r.status_code == 200, r.text
    return r.json()["rows"]


def bill_totals_by_service(cost_column="BilledCost"):
    with open(BILL, newline="", encoding="utf-8-sig") as f:
        records = [r for r in csv.DictReader(f) if any((v or "").strip() for v in r.values())]
    totals = {}
    for r in records:
        text = (r[cost_column] or "").strip()
        amount = D(0) if text in ("", "NULL") else D(text)
        totals[r["ServiceName"]] = totals.get(r["ServiceName"], D(0)) + amount
    return len(records), totals


def test_costs_by_service_match_the_file_exactly(srv):
    n, expected = bill_totals_by_service()
    assert rows(srv, "SELECT count(*) FROM costs") == [[n]]
    r = sql(srv, "SELECT service_name, sum(billed_cost) AS cost FROM costs GROUP BY 1 ORDER BY 1")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["columns"] == [{"name": "service_name", "type": "VARCHAR"},
                               {"name": "cost", "type": "DECIMAL(38,12)"}]
    got = {name: cost for name, cost in body["rows"]}
    assert set(got) == set(expected)
    for name, cost in got.items():
        assert isinstance(cost, str) and re.fullmatch(r"-?\d+\.\d{12}", cost), cost
        assert D(cost) == expected[name], name
    assert body["truncated"] is False and body["row_count"] == len(expected)


def test_seed_one_liner_for_costs_from_the_docs(srv):
    with open(os.path.join(REPO_ROOT, "docs", "sql.md"), encoding="utf-8") as f:
        doc = f.read()
    one_liner = re.search(r"<!-- seed: services -->\s*```sql\n(.*?)\n```", doc, re.S).group(1)
    _, expected = bill_totals_by_service("EffectiveCost")
    got = rows(srv, one_liner)
    assert {name: D(cost) for name, currency, cost in got} == expected
    assert {currency for _, currency, _ in got} == {"USD"}
    assert [D(c) for _, _, c in got] == sorted((D(c) for _, _, c in got), reverse=True)


def test_timestamps_and_tags_come_back_as_iso_and_objects(srv):
    got = rows(srv, "SELECT charge_period_start, tags FROM costs WHERE tags IS NOT NULL AND cardinality(tags) > 0 "
                    "ORDER BY x_source_line LIMIT 1")
    assert got, "the sample bill has tagged lines"
    start, tags = got[0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", start), start
    assert isinstance(tags, dict) and tags and all(isinstance(v, str) for v in tags.values())
    assert rows(srv, "SELECT NULL::VARCHAR, MAP {'a': 1}") == [[None, {"a": 1}]]


def test_run_views_through_the_runs_api(srv):
    exp = srv.post("/api/v1/experiments", json={"name": unique("sqlexp")}).json()["id"]
    t0 = 1767225600000  # 2026-01-01T00:00:00Z
    durations = {"ok": 3600, "bad": 120}
    for name, status in (("ok", "FINISHED"), ("bad", "FAILED")):
        r = srv.post("/api/v1/runs", json={"experiment_id": exp, "name": name, "start_time": t0, "gpu_count": 2})
        assert r.status_code == 201, r.text
        r = requests.patch(srv.url + "/api/v1/runs/" + r.json()["id"],
                              json={"status": status, "end_time": t0 + durations[name] * 1000}, timeout=30)
        assert r.status_code == 200, r.text
    got = rows(srv, "SELECT name, status, duration_seconds, attempts, failed_attempts, gpu_hours FROM run_summary "
                    "WHERE experiment_id = %s ORDER BY name" % exp)
    assert got == [["bad", "FAILED", 120.0, 1, 1, 2 * 120 / 3600], ["ok", "FINISHED", 3600.0, 1, 0, 2.0]]


@pytest.mark.parametrize("query,names", [
    ("SELECT * FROM read_csv('/etc/passwd')", "read_csv"),
    ("SELECT * FROM '/etc/passwd'", "/etc/passwd"),
    ("COPY costs TO '/tmp/mlcost-sql-test-leak.csv'", "COPY"),
    ("COPY (SELECT 1) TO '/tmp/mlcost-sql-test-leak.csv'", "COPY"),
    ("ATTACH '/tmp/mlcost-sql-test-leak.db' AS leak", "ATTACH"),
    ("SET enable_external_access = true", "SET"),
    ("DELETE FROM costs", "DELETE"),
    ("DROP TABLE costs", "DROP"),
    ("INSTALL httpfs", "INSTALL"),
    ("SELECT current_setting('threads')", "current_setting"),
])
def test_forbidden_statements_are_refused_and_change_nothing(srv, query, names):
    before = rows(srv, "SELECT count(*), sum(billed_cost) FROM costs")
    assert_error(sql(srv, query), 403, "PERMISSION_DENIED", names)
    assert rows(srv, "SELECT count(*), sum(billed_cost) FROM costs") == before
    assert not os.path.exists("/tmp/mlcost-sql-test-leak.csv")
    assert not os.path.exists("/tmp/mlcost-sql-test-leak.db")
    assert srv.healthy()


def test_bad_sql_is_a_400_with_duckdbs_message(srv):
    assert_error(sql(srv, "SELECT nope FROM costs"), 400, "INVALID_PARAMETER_VALUE", "nope")
    assert_error(sql(srv, "SELEC 1"), 400, "INVALID_PARAMETER_VALUE", "syntax error")
    assert_error(sql(srv, "SELECT 1; SELECT 2"), 400, "INVALID_PARAMETER_VALUE", "one statement")


def test_row_cap(srv):
    body = sql(srv, "SELECT * FROM range(25000)").json()
    assert body["row_count"] == 10000 and len(body["rows"]) == 10000 and body["truncated"] is True
    assert body["rows"][-1] == [9999]
    body = sql(srv, "SELECT * FROM range(25000)", max_rows=3).json()
    assert body["rows"] == [[0], [1], [2]] and body["truncated"] is True
    body = sql(srv, "SELECT * FROM range(3)", max_rows=3).json()
    assert body["truncated"] is False


# 10^12 joined rows: no machine finishes inside the limit, so the answer does not depend on speed.
SLOW = "SELECT count(*) FROM range(1000000) a, range(1000000) b WHERE a.range + b.range = -1"


def test_time_limit_stops_a_slow_query_and_the_server_keeps_serving(srv):
    assert_error(sql(srv, SLOW, timeout_ms=1000), 408, "QUERY_TIMEOUT", "time limit")
    assert rows(srv, "SELECT 1") == [[1]]
    assert srv.healthy()


def test_server_wide_time_limit(server_factory):
    s = server_factory.start(extra_args=["--sql-timeout", "1"])
    assert_error(sql(s, SLOW), 408, "QUERY_TIMEOUT", "1000 ms")
    assert rows(s, "SELECT 42") == [[42]]


# --- Parquet read-back: the footer's Thrift (compact protocol) FileMetaData ---

def _varint(buf, pos):
    shift = result = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return result, pos


def _zigzag(n):
    return (n >> 1) ^ -(n & 1)


def _value(buf, pos, t):
    if t in (1, 2):
        return t == 1, pos
    if t == 3:
        return buf[pos], pos + 1
    if t in (4, 5, 6):
        v, pos = _varint(buf, pos)
        return _zigzag(v), pos
    if t == 7:
        return struct.unpack("<d", buf[pos:pos + 8])[0], pos + 8
    if t == 8:
        n, pos = _varint(buf, pos)
        return bytes(buf[pos:pos + n]), pos + n
    if t in (9, 10):
        head = buf[pos]
        pos += 1
        size, et = head >> 4, head & 0x0F
        if size == 15:
            size, pos = _varint(buf, pos)
        items = []
        for _ in range(size):
            if et in (1, 2):
                items.append(buf[pos] == 1)
                pos += 1
            else:
                v, pos = _value(buf, pos, et)
                items.append(v)
        return items, pos
    if t == 11:
        size, pos = _varint(buf, pos)
        if size == 0:
            return {}, pos
        kt, vt = buf[pos] >> 4, buf[pos] & 0x0F
        pos += 1
        out = {}
        for _ in range(size):
            k, pos = _value(buf, pos, kt)
            v, pos = _value(buf, pos, vt)
            out[k] = v
        return out, pos
    if t == 12:
        fields, last = {}, 0
        while True:
            head = buf[pos]
            pos += 1
            if head == 0:
                return fields, pos
            delta, ft = head >> 4, head & 0x0F
            if delta:
                fid = last + delta
            else:
                raw, pos = _varint(buf, pos)
                fid = _zigzag(raw)
            fields[fid], pos = _value(buf, pos, ft)
            last = fid
    raise AssertionError("thrift type %d" % t)


def parquet_rows_and_columns(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:4] == b"PAR1" and data[-4:] == b"PAR1", path
    (length,) = struct.unpack("<I", data[-8:-4])
    meta, _ = _value(data[-8 - length:-8], 0, 12)
    schema = meta[2]  # list<SchemaElement>; the first is the root
    return meta[3], [element[4].decode() for element in schema[1:]]


def wait_for(predicate, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_saved_queries_export_csv_and_parquet(srv):
    _, expected = bill_totals_by_service()
    query = "SELECT service_name, sum(billed_cost) AS cost FROM costs GROUP BY 1 ORDER BY 1"
    r = srv.post("/api/v1/queries", json={"name": "by_service_csv", "sql": query, "output_dir": "bi"})
    assert r.status_code == 201, r.text
    assert r.json()["interval_seconds"] is None
    r = srv.post("/api/v1/queries/by_service_csv/run", json={})
    assert r.status_code == 200, r.text
    q = r.json()
    assert q["last_status"] == "ok" and q["last_row_count"] == len(expected) and q["last_output"] == "bi/by_service_csv.csv"
    with open(os.path.join(srv.export_root, "bi", "by_service_csv.csv"), newline="") as f:
        table = list(csv.reader(f))
    assert table[0] == ["service_name", "cost"]
    assert {name: D(cost) for name, cost in table[1:]} == expected

    # Scheduled: the server's scheduler writes it without being asked.
    r = srv.post("/api/v1/queries", json={"name": "by_service_pq", "sql": query, "format": "parquet",
                                          "output_dir": "bi/parquet", "interval": "every 1 hour"})
    assert r.status_code == 201, r.text
    assert r.json()["interval_seconds"] == 3600
    path = os.path.join(srv.export_root, "bi", "parquet", "by_service_pq.parquet")
    assert wait_for(lambda: srv.get("/api/v1/queries/by_service_pq").json()["last_status"] is not None)
    q = srv.get("/api/v1/queries/by_service_pq").json()
    assert q["last_status"] == "ok", q
    assert q["last_row_count"] == len(expected)
    assert q["next_run_at"] > q["last_run_at"]
    num_rows, columns = parquet_rows_and_columns(path)
    assert num_rows == len(expected) and columns == ["service_name", "cost"]
    assert sorted(os.listdir(os.path.dirname(path))) == ["by_service_pq.parquet"]  # no temp file left

    names = [x["name"] for x in srv.get("/api/v1/queries").json()["queries"]]
    assert names == ["by_service_csv", "by_service_pq"]
    assert requests.delete(srv.url + "/api/v1/queries/by_service_pq", timeout=30).status_code == 200
    assert os.path.exists(path)  # the last file stays


def test_saved_queries_refuse_what_the_console_refuses_and_paths_outside_the_root(srv):
    bad = [({"name": "x", "sql": "SELECT * FROM read_csv('/etc/passwd')"}, 403, "PERMISSION_DENIED"),
           ({"name": "x", "sql": "COPY costs TO '/tmp/x.csv'"}, 403, "PERMISSION_DENIED"),
           ({"name": "x", "sql": "SELECT 1", "output_dir": "../outside"}, 400, "INVALID_PARAMETER_VALUE"),
           ({"name": "x", "sql": "SELECT 1", "output_dir": "/tmp"}, 400, "INVALID_PARAMETER_VALUE"),
           ({"name": "../x", "sql": "SELECT 1"}, 400, "INVALID_PARAMETER_VALUE"),
           ({"name": "x", "sql": "SELECT 1", "format": "xlsx"}, 400, "INVALID_PARAMETER_VALUE"),
           ({"name": "x", "sql": "SELECT 1", "interval": "10s"}, 400, "INVALID_PARAMETER_VALUE")]
    for body, status, code in bad:
        assert_error(srv.post("/api/v1/queries", json=body), status, code)
    assert "x" not in [q["name"] for q in srv.get("/api/v1/queries").json()["queries"]]


# --- the command line: `mlcost sql` and `mlcost queries` against the same server ---

def cli(*args):
    p = subprocess.run([binary_path(), *args], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def test_cli_sql_table_json_csv_and_exit_codes(srv):
    _, expected = bill_totals_by_service()
    query = "SELECT service_name, sum(billed_cost) AS cost FROM costs GROUP BY 1 ORDER BY 1"
    rc, out, err = cli("sql", "--server", srv.url, "--csv", query)
    assert rc == 0, err
    table = list(csv.reader(io.StringIO(out)))
    assert table[0] == ["service_name", "cost"]
    assert {name: D(cost) for name, cost in table[1:]} == expected

    rc, out, err = cli("sql", "--server", srv.url, query)
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["service_name", "cost"] and len(lines) == 1 + len(expected)

    rc, out, err = cli("sql", "--server", srv.url, "--json", "SELECT 1 AS one")
    assert rc == 0, err
    assert json.loads(out)["rows"] == [[1]]

    rc, out, err = cli("sql", "--server", srv.url, "--max-rows", "2", "SELECT * FROM range(5)")
    assert rc == 0 and len(out.splitlines()) == 3 and "truncated at 2 rows" in err, (out, err)

    rc, _, err = cli("sql", "--server", srv.url, "DELETE FROM costs")
    assert rc == 1 and "DELETE statements" in err, err
    rc, _, err = cli("sql", "--server", srv.url, "SELEC 1")
    assert rc == 2 and "syntax error" in err, err


def test_cli_queries_add_run_list_rm(srv):
    rc, out, err = cli("queries", "add", "--server", srv.url, "cli_teams", "SELECT 7 AS n", "--output-dir", "cli")
    assert rc == 0, err
    rc, out, err = cli("queries", "run", "--server", srv.url, "cli_teams")
    assert rc == 0 and "ok" in out, (out, err)
    with open(os.path.join(srv.export_root, "cli", "cli_teams.csv")) as f:
        assert f.read() == "n\n7\n"
    rc, out, err = cli("queries", "list", "--server", srv.url)
    assert rc == 0 and "cli_teams" in out, err
    rc, out, err = cli("queries", "rm", "--server", srv.url, "cli_teams")
    assert rc == 0, err
    rc, out, err = cli("queries", "run", "--server", srv.url, "cli_teams")
    assert rc == 1 and "does not exist" in err, err
