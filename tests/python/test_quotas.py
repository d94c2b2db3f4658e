"""Budgets and quotas (docs/quotas.md) against the real server: bad input is a clear 4xx naming the
field; a quota with action block refuses new runs through the native API, the MLflow API and
`mlcost run` (the job never starts); action stop makes `mlcost run` stop a running job as PRUNED
with the quota's reason; action alert posts Slack-format payloads to a real webhook receiver,
once per threshold per period; every change and enforcement is an audit row."""
import csv
import http.server
import json
import os
import socket
import subprocess
import threading
import time
from decimal import Decimal

import pytest
import requests

from conftest import binary_path, unique

HOUR_MS = 3600 * 1000
# The built-in on-demand price of aws p3.2xlarge in us-east-1 (docs/pricing.md): one V100.
P3_HOURLY = "3.06"
P3 = {"instance_type": "p3.2xlarge", "provider": "aws", "region": "us-east-1"}


class WebhookReceiver:
    """A real HTTP server on a free port that records every POSTed JSON body."""

    def __init__(self):
        bodies = self.bodies = []
        lock = self.lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                n = int(self.headers.get("Content-Length", "0"))
                payload = json.loads(self.rfile.read(n))
                with lock:
                    bodies.append({"path": self.path, "content_type": self.headers.get("Content-Type"),
                                   "body": payload})
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/hooks/quota" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def received(self):
        with self.lock:
            return list(self.bodies)

    def wait_for(self, count, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.received()) < count:
            time.sleep(0.05)
        return self.received()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def receiver():
    r = WebhookReceiver()
    yield r
    r.close()


def spent_run(server, team, hours=1, **extra):
    """A finished p3.2xlarge run of `team` that ran exactly `hours` hours, ending now."""
    end = int(time.time() * 1000)
    body = dict(P3, team=team, start_time=end - hours * HOUR_MS, **extra)
    r = server.post("/api/v1/runs", json=body)
    assert r.status_code == 201, r.text
    run_id = r.json()["id"]
    r = requests.patch(server.url + "/api/v1/runs/" + run_id, json={"status": "FINISHED", "end_time": end},
                       timeout=30)
    assert r.status_code == 200, r.text
    return run_id


def make_quota(server, **body):
    r = server.post("/api/v1/quotas", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def audit(server, **params):
    r = server.get("/api/v1/quotas/audit", params=params)
    assert r.status_code == 200, r.text
    return r.json()["entries"]


def cli(server, *args, timeout=60):
    return subprocess.run([binary_path(), *args, "--server", server.url], capture_output=True, text=True,
                          timeout=timeout)


@pytest.mark.parametrize("change,field", [
    ({"limit": "0"}, "limit"),
    ({"limit": -5}, "limit"),
    ({"limit": "lots"}, "limit"),
    ({"scope": "department"}, "scope"),
    ({"period": "quarter"}, "period"),
    ({"unit": "tokens"}, "unit"),
    ({"actions": ["alert", "email"]}, "actions"),
    ({"currency": "EUR"}, "currency"),
    ({"webhook_url": "ftp://127.0.0.1/hook"}, "webhook_url"),
    ({"webhook_url": "file:///etc/passwd"}, "webhook_url"),
    ({"name": None}, "name"),
    ({"colour": "red"}, "colour"),
])
def test_bad_quotas_are_400s_naming_the_field(server, change, field):
    body = {"scope": "team", "name": unique("bad"), "period": "month", "limit": "10",
            "actions": ["alert"], "webhook_url": "http://127.0.0.1:9/hook"}
    body.update(change)
    body = {k: v for k, v in body.items() if v is not None}
    r = server.post("/api/v1/quotas", json=body)
    assert r.status_code == 400, r.text
    assert r.json()["error_code"] == "INVALID_PARAMETER_VALUE"
    assert field in r.json()["message"], r.text


def test_a_conflicting_quota_is_409_naming_the_existing_one(server):
    team = unique("conflict")
    first = make_quota(server, scope="team", name=team, period="week", limit="5", actions=["block"])
    r = server.post("/api/v1/quotas", json={"scope": "team", "name": team, "period": "week", "limit": "9",
                                            "actions": ["stop"]})
    assert r.status_code == 409, r.text
    assert "quota %d" % first["quota_id"] in r.json()["message"], r.text
    # Another period or unit is no conflict; overlapping scopes (the team's user) both apply.
    make_quota(server, scope="team", name=team, period="day", limit="5", actions=["block"])
    make_quota(server, scope="team", name=team, period="week", unit="gpu_hours", limit="5", actions=["block"])


def test_crud_status_and_audit_through_the_api_and_the_cli(server):
    team = unique("crud")
    spent_run(server, team)
    q = make_quota(server, scope="team", name=team, period="total", limit="10.5", actions=["block"])
    assert q["limit"] == "10.5" and q["currency"] == "USD" and q["thresholds"] == ["0.8", "1"]
    qid = q["quota_id"]

    status = server.get("/api/v1/quotas/%d/status" % qid).json()
    assert status["use"] == P3_HOURLY and status["use_runs"] == P3_HOURLY and status["use_billed"] == "0"
    assert status["runs_counted"] == 1 and status["state"] == "ok" and status["forecast"] is None

    body = dict(q, limit="3")
    for k in ("quota_id", "created_at", "updated_at"):
        body.pop(k)
    r = requests.put(server.url + "/api/v1/quotas/%d" % qid, json=body, timeout=30)
    assert r.status_code == 200, r.text
    status = server.get("/api/v1/quotas/%d/status" % qid).json()
    assert status["state"] == "exceeded" and status["crossed_thresholds"] == ["0.8", "1"]

    shown = cli(server, "quota", "show", str(qid), "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["use"] == P3_HOURLY
    listed = cli(server, "quota", "list")
    assert listed.returncode == 0 and team in listed.stdout, listed.stdout

    r = requests.delete(server.url + "/api/v1/quotas/%d" % qid, timeout=30)
    assert r.status_code == 200, r.text
    assert server.get("/api/v1/quotas/%d" % qid).status_code == 404

    actions = [e["action"] for e in audit(server, quota_id=qid)]
    assert actions == ["quota_deleted", "quota_updated", "quota_created"]
    out = cli(server, "quota", "audit", "--quota", str(qid), "--json")
    assert out.returncode == 0, out.stderr
    assert [e["action"] for e in json.loads(out.stdout)["entries"]] == actions
    bad = cli(server, "quota", "audit", "--action", "exploded")
    assert bad.returncode == 2 and "action" in bad.stderr, bad.stderr


def test_gpu_hour_quota_counts_gpus_times_billable_hours(server):
    team = unique("gpuh")
    spent_run(server, team, hours=2)
    q = make_quota(server, scope="team", name=team, period="total", unit="gpu_hours", limit="4",
                   actions=["block"])
    status = server.get("/api/v1/quotas/%d/status" % q["quota_id"]).json()
    assert status["use"] == "2" and status["unit"] == "gpu_hours" and status["currency"] is None


def test_block_refuses_native_mlflow_and_mlcost_run(server, tmp_path):
    team = unique("blocked")
    spent_run(server, team)
    q = make_quota(server, scope="team", name=team, period="total", limit="1", actions=["block"])
    qid = q["quota_id"]

    r = server.post("/api/v1/runs", json={"team": team})
    assert r.status_code == 403, r.text
    msg = r.json()["message"]
    assert "quota %d" % qid in msg and P3_HOURLY + " USD" in msg and "1 USD" in msg, msg
    # Another team is not blocked.
    assert server.post("/api/v1/runs", json={"team": unique("free")}).status_code == 201

    r = server.mlflow_post("runs/create", {"experiment_id": "0", "tags": [{"key": "mlcost.team", "value": team}]})
    assert r.status_code == 403, r.text
    assert r.json()["error_code"] == "PERMISSION_DENIED" and "quota %d" % qid in r.json()["message"]

    marker = tmp_path / "started"
    p = subprocess.run([binary_path(), "run", "--server", server.url, "--cloud", "none", "--tag",
                        "mlcost.team=" + team, "--", "/usr/bin/python3", "-c",
                        "open(%r, 'w').write('x')" % str(marker)],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode != 0, p.stderr
    assert "quota %d" % qid in p.stderr, p.stderr
    assert not marker.exists(), "the job started although the quota blocks it"

    blocked = audit(server, quota_id=qid, action="run_blocked")
    assert len(blocked) == 3, blocked
    assert all(e["use"] == P3_HOURLY and e["limit"] == "1" for e in blocked)


def test_stop_makes_mlcost_run_stop_the_job_as_pruned(server, tmp_path):
    team = unique("stopped")
    q = make_quota(server, scope="team", name=team, period="total", limit="0.0005", actions=["stop"])
    # p3.2xlarge costs 3.06 USD/h: the run passes 0.0005 USD within its first second.
    job = tmp_path / "job.py"
    job.write_text("import time\nfor _ in range(1200):\n    time.sleep(0.1)\n")
    p = subprocess.run([binary_path(), "run", "--server", server.url, "--cloud", "none", "--prune-poll", "0.2",
                        "--instance-type", "p3.2xlarge", "--tag", "mlcost.provider=aws", "--tag",
                        "mlcost.region=us-east-1", "--tag", "mlcost.team=" + team, "--", "/usr/bin/python3",
                        str(job)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 128 + 15, p.stderr  # SIGTERM
    assert "quota %d" % q["quota_id"] in p.stderr, p.stderr
    run_id = p.stderr.split("mlcost run: run ")[1].split(" ")[0]
    run = server.get("/api/v1/runs/" + run_id).json()
    assert [a["end_cause"] for a in run["attempts"]] == ["pruned"]
    assert run["tags"]["mlcost.state"] == "PRUNED"
    assert "quota %d" % q["quota_id"] in run["tags"]["mlcost.stop_reason"]
    stops = audit(server, quota_id=q["quota_id"], action="run_stop")
    assert [e["run_id"] for e in stops] == [run_id]  # audited once, however often it was polled


def test_alerts_reach_a_real_webhook_once_per_threshold(server_factory, receiver):
    server = server_factory.start(extra_args=["--quota-interval", "200ms"])
    team = unique("alerted")
    spent_run(server, team)
    # 3.06 of 3.5 = 87 %: thresholds 0.5 and 0.8 are crossed, 1.0 is not.
    q = make_quota(server, scope="team", name=team, period="total", limit="3.5", actions=["alert"],
                   webhook_url=receiver.url, thresholds=["0.5", "0.8", "1.0"])
    got = receiver.wait_for(2)
    assert len(got) == 2, got
    assert {g["path"] for g in got} == {"/hooks/quota"}
    assert all(g["content_type"] == "application/json" for g in got)
    texts = sorted(g["body"]["text"] for g in got)
    for t in texts:
        assert "quota %d" % q["quota_id"] in t and team in t and P3_HOURLY + " USD" in t and "3.5 USD" in t, t
    assert any("threshold 0.5" in t for t in texts) and any("threshold 0.8" in t for t in texts), texts
    for g in got:
        blocks = g["body"]["blocks"]
        assert blocks[0]["type"] == "header" and any(b["type"] == "section" for b in blocks)

    # Creating a run of the team evaluates its quotas at once: nothing new is due, nothing is resent.
    assert server.post("/api/v1/runs", json={"team": team}).status_code == 201
    sent = audit(server, quota_id=q["quota_id"], action="alert_sent")
    assert len(sent) == 2, sent
    assert len(receiver.received()) == 2

    # Passing the limit sends the 1.0 alert once.
    spent_run(server, team)
    got = receiver.wait_for(3)
    assert len(got) == 3 and "threshold 1" in got[2]["body"]["text"], got
    assert server.post("/api/v1/runs", json={"team": team}).status_code == 201
    assert len(audit(server, quota_id=q["quota_id"], action="alert_sent")) == 3


def test_a_dead_webhook_is_audited_and_retried_without_hurting_the_server(server_factory):
    server = server_factory.start(extra_args=["--quota-interval", "200ms"])
    team = unique("deadhook")
    spent_run(server, team)
    # A port nothing listens on: bind one, then close it.
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    dead_url = "http://127.0.0.1:%d/hook" % s.getsockname()[1]
    s.close()
    q = make_quota(server, scope="team", name=team, period="total", limit="1", actions=["alert"],
                   webhook_url=dead_url, thresholds=["1.0"])
    deadline = time.monotonic() + 30
    failed = []
    while time.monotonic() < deadline and len(failed) < 2:
        failed = audit(server, quota_id=q["quota_id"], action="alert_failed")
        time.sleep(0.1)
    assert len(failed) >= 2, failed  # retried at the next evaluation
    assert all(dead_url in e["detail"] for e in failed)
    assert audit(server, quota_id=q["quota_id"], action="alert_sent") == []
    assert server.healthy()
    assert server.post("/api/v1/runs", json={"team": unique("other")}).status_code == 201


FOCUS_SAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "data",
                            "billing", "focus", "focus-1.0_focus_sample_1000.csv")


def bill_sum(keep):
    """BilledCost of the sample's USD lines `keep(row, tags)` accepts, summed here with Decimal."""
    total = Decimal(0)
    with open(FOCUS_SAMPLE, newline="") as f:
        for row in csv.DictReader(f):
            tags = json.loads(row["Tags"]) if row["Tags"] not in ("", "NULL") else {}
            if row["BillingCurrency"] == "USD" and keep(row, tags):
                total += Decimal(row["BilledCost"])
    return total


def test_billed_use_follows_allocation_and_counts_a_tracked_resource_once(server_factory):
    server = server_factory.start()
    r = server.post("/api/v1/ingests", json={"paths": [os.path.abspath(FOCUS_SAMPLE)]})
    assert r.status_code == 201, r.text
    org = make_quota(server, scope="org", period="total", limit="1000000", actions=["stop"])
    status = server.get("/api/v1/quotas/%d/status" % org["quota_id"]).json()
    assert Decimal(status["use_billed"]) == bill_sum(lambda row, tags: True)
    assert status["use_runs"] == "0"

    # Teams come from the explorer's allocation rules: here the bill's business_unit tag.
    r = server.post("/api/v1/allocation/rules", json={"dimension": "team", "match_kind": "tag",
                                                      "match_key": "business_unit"})
    assert r.status_code == 201, r.text
    team = make_quota(server, scope="team", name="TempeAI", period="total", limit="1000000", actions=["stop"])
    status = server.get("/api/v1/quotas/%d/status" % team["quota_id"]).json()
    want = bill_sum(lambda row, tags: tags.get("business_unit") == "TempeAI")
    assert want > 0 and Decimal(status["use_billed"]) == want

    # A run that names a billed resource takes that resource off the bill side: it counts once,
    # through the run (unpriced here: no instance type, so it adds nothing).
    resource = ("/subscriptions/64e355d7-997c-491d-b0c1-8414dccfcf42/resourcegroups/devtestlab/providers/"
                "microsoft.machinelearningservices/workspaces/zmltestplayground")
    r = server.post("/api/v1/runs", json={"tags": {"mlcost.resource_id": resource}})
    assert r.status_code == 201, r.text
    status = server.get("/api/v1/quotas/%d/status" % org["quota_id"]).json()
    assert bill_sum(lambda row, tags: row["ResourceId"] == resource) != 0  # credits make it negative
    assert Decimal(status["use_billed"]) == bill_sum(lambda row, tags: row["ResourceId"] != resource)
    assert status["runs_unpriced"] == 1


def test_quota_set_from_the_cli_creates_replaces_and_refuses(server):
    team = unique("cli")
    made = cli(server, "quota", "set", "--scope", "team", "--name", team, "--period", "week", "--limit", "12.345",
               "--action", "block", "--action", "stop", "--json")
    assert made.returncode == 0, made.stderr
    q = json.loads(made.stdout)
    assert q["limit"] == "12.345" and q["actions"] == ["block", "stop"] and q["period"] == "week"
    # The same scope, period and unit again: a conflict naming the quota, exit 1.
    dup = cli(server, "quota", "set", "--scope", "team", "--name", team, "--period", "week", "--limit", "1",
              "--action", "block")
    assert dup.returncode == 1 and "quota %d" % q["quota_id"] in dup.stderr, dup.stderr
    # Bad values are usage errors naming the field, exit 2.
    bad = cli(server, "quota", "set", "--scope", "team", "--name", team, "--period", "week", "--limit", "-1")
    assert bad.returncode == 2 and "limit" in bad.stderr, bad.stderr
    bad = cli(server, "quota", "set", "--scope", "team", "--name", team, "--period", "week", "--limit", "1",
              "--action", "alert", "--webhook", "gopher://x")
    assert bad.returncode == 2 and "webhook_url" in bad.stderr, bad.stderr
    # --id replaces it.
    put = cli(server, "quota", "set", "--id", str(q["quota_id"]), "--scope", "team", "--name", team, "--period",
              "week", "--limit", "20", "--action", "block")
    assert put.returncode == 0, put.stderr
    assert server.get("/api/v1/quotas/%d" % q["quota_id"]).json()["limit"] == "20"
    gone = cli(server, "quota", "delete", str(q["quota_id"]))
    assert gone.returncode == 0, gone.stderr
    assert cli(server, "quota", "show", str(q["quota_id"])).returncode == 1


def test_sent_alerts_stay_sent_across_a_restart(server_factory, receiver):
    server = server_factory.start(extra_args=["--quota-interval", "0"])
    team = unique("restart")
    spent_run(server, team)
    make_quota(server, scope="team", name=team, period="total", limit="10", actions=["alert"],
               webhook_url=receiver.url, thresholds=["0.1"])
    # With the evaluator off, creating a run of the team evaluates its quotas.
    assert server.post("/api/v1/runs", json={"team": team}).status_code == 201
    assert len(receiver.received()) == 1
    server.stop()
    server.start()
    assert server.post("/api/v1/runs", json={"team": team}).status_code == 201
    assert len(receiver.received()) == 1  # the mark is in the database, not in memory
