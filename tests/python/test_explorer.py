"""Cost explorer, allocation rules, leaderboards and the run <-> bill join through the real server.

Expected numbers are computed here independently: costs with Python's csv + Decimal over the
source file, cost-per-metric from the run costs the server reports.
"""
import csv
import json
import os
import subprocess
import time
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
import requests

from conftest import REPO_ROOT, assert_error, binary_path, unique

SAMPLE = os.path.join(REPO_ROOT, "..", "shared", "data", "billing", "focus", "focus-1.0_focus_sample_1000.csv")


def rules(server):
    r = server.get("/api/v1/allocation/rules")
    assert r.status_code == 200, r.text
    return r.json()["rules"]


def test_allocation_rules_crud_and_order(server):
    for rule in rules(server):
        assert server_delete(server, "/api/v1/allocation/rules/%d" % rule["rule_id"]).status_code == 200
    a = server.post("/api/v1/allocation/rules", json={"dimension": "team", "match_kind": "tag", "match_key": "team"})
    assert a.status_code == 201, a.text
    b = server.post("/api/v1/allocation/rules", json={"dimension": "team", "match_kind": "name_prefix",
                                                       "match_value": "gpu-", "target": "research", "position": 1})
    assert b.status_code == 201, b.text
    a, b = a.json(), b.json()
    assert [r["rule_id"] for r in rules(server)] == [b["rule_id"], a["rule_id"]]
    assert [r["position"] for r in rules(server)] == [1, 2]

    r = server.post("/api/v1/allocation/rules/reorder", json={"rule_ids": [a["rule_id"], b["rule_id"]]})
    assert r.status_code == 200, r.text
    assert [x["rule_id"] for x in r.json()["rules"]] == [a["rule_id"], b["rule_id"]]

    r = server_put(server, "/api/v1/allocation/rules/%d" % b["rule_id"],
                   {"dimension": "project", "match_kind": "account", "match_value": "acct-7", "target": "p1"})
    assert r.status_code == 200, r.text
    assert r.json()["dimension"] == "project" and r.json()["position"] == 2

    assert_error(server.post("/api/v1/allocation/rules", json={"dimension": "org", "match_kind": "tag",
                                                              "match_key": "k"}),
                 400, "INVALID_PARAMETER_VALUE", "dimension")
    assert_error(server.post("/api/v1/allocation/rules", json={"dimension": "team", "match_kind": "name_prefix"}),
                 400, "INVALID_PARAMETER_VALUE", "match_value")
    assert_error(server.post("/api/v1/allocation/rules/reorder", json={"rule_ids": [a["rule_id"]]}),
                 400, "INVALID_PARAMETER_VALUE", "every")
    assert server_delete(server, "/api/v1/allocation/rules/%d" % a["rule_id"]).status_code == 200
    assert_error(server_delete(server, "/api/v1/allocation/rules/%d" % a["rule_id"]), 404, "RESOURCE_DOES_NOT_EXIST")
    assert [r["position"] for r in rules(server)] == [1]
    server_delete(server, "/api/v1/allocation/rules/%d" % b["rule_id"])


def server_delete(server, path):
    return requests.delete(server.url + path, timeout=30)


def server_put(server, path, body):
    return requests.put(server.url + path, json=body, timeout=30)


def test_costs_on_an_empty_bill_and_bad_parameters(server):
    r = server.get("/api/v1/costs", params={"group_by": "team", "granularity": "day"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["rows"] == [] and body["totals"] == {}
    assert body["metric"] == "billed" and body["amortized"] is False
    assert "BilledCost" in body["cost_basis"]
    assert server.get("/api/v1/costs", params={"metric": "amortized"}).json()["amortized"] is True
    assert_error(server.get("/api/v1/costs", params={"group_by": "service_name;drop"}), 400,
                 "INVALID_PARAMETER_VALUE", "service_name;drop")
    assert_error(server.get("/api/v1/costs", params={"filter": "service_name"}), 400, "INVALID_PARAMETER_VALUE",
                 "filter")
    assert_error(server.get("/api/v1/costs", params={"top": "many"}), 400, "INVALID_PARAMETER_VALUE", "top")
    assert_error(server.get("/api/v1/leaderboards/costs", params={"window": "fortnight"}), 400,
                 "INVALID_PARAMETER_VALUE", "window")
    # The live run-cost report keeps its own route.
    assert server.get("/api/v1/costs/runs").status_code == 200


def file_totals(key):
    totals = {}
    with open(SAMPLE, newline="") as f:
        for row in csv.DictReader(f):
            k = key(row)
            totals[k] = totals.get(k, Decimal(0)) + Decimal(row["BilledCost"])
    return totals


def test_costs_match_the_focus_sample(server):
    r = server.post("/api/v1/ingests", json={"paths": [os.path.abspath(SAMPLE)]})
    assert r.status_code == 201, r.text
    body = server.get("/api/v1/costs", params={"group_by": "service_name", "granularity": "none"}).json()
    got = {row["group"]["service_name"]: Decimal(row["cost"]) for row in body["rows"]}
    assert got == file_totals(lambda row: row["ServiceName"])

    def unit(row):
        tags = json.loads(row["Tags"]) if row["Tags"] not in ("", "NULL") else {}
        return tags.get("business_unit") or "unallocated"
    cli = subprocess.run([binary_path(), "costs", "--server", server.url, "--group-by", "service_name",
                          "--granularity", "none", "--json"], capture_output=True, text=True, timeout=60)
    assert cli.returncode == 0, cli.stderr
    assert {r["group"]["service_name"]: Decimal(r["cost"]) for r in json.loads(cli.stdout)["rows"]} == got
    rule = server.post("/api/v1/allocation/rules", json={"dimension": "team", "match_kind": "tag",
                                                          "match_key": "business_unit"}).json()
    try:
        body = server.get("/api/v1/costs", params={"group_by": "team", "granularity": "none", "top": "5"}).json()
        want = file_totals(unit)
        top5 = sorted(want.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
        got = {row["group"]["team"]: Decimal(row["cost"]) for row in body["rows"]}
        assert got == dict(top5, other=sum(want.values()) - sum(v for _, v in top5))
    finally:
        server_delete(server, "/api/v1/allocation/rules/%d" % rule["rule_id"])


def test_run_leaderboard_ranks_metric_per_dollar(server):
    exp = server.post("/api/v1/experiments", json={"name": unique("board")}).json()["id"]
    start = int(time.time() * 1000) - 3600 * 1000
    made = {}
    for name, instance, acc in [("cheap", "p3.2xlarge", 0.9), ("dear", "p3.8xlarge", 0.95), ("free", None, 0.5)]:
        body = {"experiment_id": exp, "name": name, "start_time": start}
        if instance:
            body.update({"instance_type": instance, "provider": "aws", "region": "us-east-1"})
        r = server.post("/api/v1/runs", json=body)
        assert r.status_code == 201, r.text
        run_id = r.json()["id"]
        r = server.post("/api/v1/runs/%s/metrics" % run_id,
                        json={"metrics": [{"key": "accuracy", "value": acc, "step": 1}]})
        assert r.status_code == 200, r.text
        made[name] = run_id
    for run_id in made.values():
        assert server_patch(server, "/api/v1/runs/" + run_id, {"status": "FINISHED", "end_time": start + 1800 * 1000})

    board = server.get("/api/v1/leaderboards/runs", params={"metric": "accuracy", "experiment_id": exp}).json()
    ranked = board["runs"]
    assert [r["run_name"] for r in ranked] == ["cheap", "dear"]
    for r in ranked:
        assert r["cost_source"] == "estimate"
        cost = server.get("/api/v1/runs/" + r["run_id"]).json()["cost"]["cost_so_far"]
        assert Decimal(r["cost"]) == Decimal(cost)
        assert r["metric_per_cost"] == pytest.approx(r["metric_value"] / float(cost))
    assert [u["run_name"] for u in board["unpriced"]] == ["free"]
    asc = server.get("/api/v1/leaderboards/runs", params={"metric": "accuracy", "experiment_id": exp,
                                                          "order": "asc"}).json()
    assert [r["run_name"] for r in asc["runs"]] == ["dear", "cheap"]

    billed = server.get("/api/v1/runs/%s/billed-cost" % made["cheap"]).json()
    assert billed["matched"] is False and "mlcost.resource_id" in billed["reason"]
    assert billed["estimate"]["currency"] == "USD"


def server_patch(server, path, body):
    r = requests.patch(server.url + path, json=body, timeout=30)
    assert r.status_code == 200, r.text
    return True


def test_run_billed_cost_prorates_its_resource_lines(server):
    r = server.post("/api/v1/ingests", json={"paths": [os.path.abspath(SAMPLE)]})
    resource = ("/subscriptions/64e355d7-997c-491d-b0c1-8414dccfcf42/resourcegroups/devtestlab/providers/"
                "microsoft.machinelearningservices/workspaces/zmltestplayground")
    start, end = "2024-09-03T12:00:00Z", "2024-09-10T06:00:00Z"
    r = server.post("/api/v1/runs", json={"name": unique("joined"), "start_time": start,
                                          "tags": {"mlcost.resource_id": resource}})
    assert r.status_code == 201, r.text
    run_id = r.json()["id"]
    server_patch(server, "/api/v1/runs/" + run_id, {"status": "FINISHED", "end_time": end})

    def ts(text):
        from datetime import datetime, timezone
        return datetime.strptime(text[:19].replace("T", " "), "%Y-%m-%d %H:%M:%S").replace(
            tzinfo=timezone.utc).timestamp()
    lo, hi = ts(start), ts(end)
    want, lines = Decimal(0), 0
    with open(SAMPLE, newline="") as f:
        for row in csv.DictReader(f):
            if row["ResourceId"] != resource:
                continue
            a, b = ts(row["ChargePeriodStart"]), ts(row["ChargePeriodEnd"])
            overlap = min(b, hi) - max(a, lo)
            if overlap <= 0:
                continue
            lines += 1
            share = Decimal(row["BilledCost"]) * Decimal(int(overlap)) / Decimal(int(b - a))
            want += share.quantize(Decimal("1e-12"), rounding=ROUND_HALF_EVEN)
    assert lines >= 2
    got = server.get("/api/v1/runs/%s/billed-cost" % run_id).json()
    assert got["matched"] is True and got["lines"] == lines, got
    assert Decimal(got["billed"]["USD"]) == want
