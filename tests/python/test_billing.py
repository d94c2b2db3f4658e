"""Cloud bills in: every real export under ../shared/data/billing through POST /api/v1/ingests,
with each file's totals checked against an independent sum of its own cost column (Python's csv
module and decimal.Decimal — no code shared with the server), restatement, and bad input."""
import ast
import csv
import decimal
import gzip
import os
import re

import pytest

from conftest import REPO_ROOT

BILLING = os.path.abspath(os.path.join(REPO_ROOT, "..", "shared", "data", "billing"))
D = decimal.Decimal
CENT = D("0.01")


def all_bills():
    out = []
    for root, _, files in os.walk(BILLING):
        out.extend(os.path.join(root, f) for f in files if f.endswith(".csv"))
    return sorted(out)


def read_rows(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    # Blank lines are not records (the FOCUS spec examples end lines with blank ones).
    records = [r for r in rows[1:] if any(cell.strip() for cell in r)]
    return [dict(zip(header, r + [""] * (len(header) - len(r)))) for r in records], header


def amount(text):
    """A source amount as Decimal; blank / NULL is 0. People-formatted amounts ("$1,000.00 ")
    appear in the FOCUS spec's own examples."""
    text = (text or "").strip()
    if text in ("", "NULL"):
        return D(0)
    return D(re.sub(r"[$,\s]", "", text))


def column(header, *names):
    """The first of `names` the header has, compared case-insensitively by letters and digits."""
    def key(s):
        return re.sub(r"[^a-z0-9]", "", s.lower())
    by_key = {key(h): h for h in header}
    for n in names:
        if key(n) in by_key:
            return by_key[key(n)]
    return None


def expected_totals(path):
    """{report field: Decimal} worked out from the file alone, per the documented mapping."""
    rows, header = read_rows(path)
    name = os.path.basename(path)
    if column(header, "ContractCommitmentCost"):
        return len(rows), {"contract_commitment_cost": sum(amount(r["ContractCommitmentCost"]) for r in rows)}
    if column(header, "BilledCost"):  # FOCUS
        out = {"billed_cost": sum(amount(r[column(header, "BilledCost")]) for r in rows)}
        eff = column(header, "EffectiveCost")
        if eff:
            out["effective_cost"] = sum(amount(r[eff]) for r in rows)
        if column(header, "ListCost"):
            out["list_cost"] = sum(amount(r[column(header, "ListCost")]) for r in rows)
        return len(rows), out
    if column(header, "lineItem/UnblendedCost"):  # AWS CUR
        cost = column(header, "lineItem/NetUnblendedCost") or column(header, "lineItem/UnblendedCost")
        return len(rows), {"billed_cost": sum(amount(r[cost]) for r in rows)}
    if column(header, "usage_start_time"):  # GCP
        cost = column(header, "cost")
        credits = D(0)
        for r in rows:
            for c in ast.literal_eval(r[column(header, "credits")] or "[]"):
                credits += D(repr(c["amount"]))
        billed = sum(amount(r[cost]) for r in rows)
        return len(rows), {"billed_cost": billed, "effective_cost": billed + credits}
    if column(header, "cost/myCost"):  # OCI
        return len(rows), {"billed_cost": sum(amount(r[column(header, "cost/myCost")]) for r in rows)}
    if column(header, "MeterCategory"):  # Azure
        cost = column(header, "CostInBillingCurrency", "Cost", "PreTaxCost")
        charge = column(header, "ChargeType")
        model = column(header, "PricingModel")
        total = sum(amount(r[cost]) for r in rows)

        def commitment(r):
            return model is not None and r[model] in ("Reservation", "SavingsPlan")

        covered = sum(amount(r[cost]) for r in rows if charge and r[charge] == "Usage" and commitment(r))
        purchases = sum(amount(r[cost]) for r in rows if charge and r[charge] in ("Purchase", "Refund") and commitment(r))
        out = {"billed_cost": total - covered, "effective_cost": total - purchases}
        # The file's own cost column is the billed view of an actual export, the amortized view of
        # an amortized one: each equals the source total outright.
        if "Actual" in name:
            assert out["billed_cost"] == total
        if "Amortized" in name:
            assert out["effective_cost"] == total
        return len(rows), out
    raise AssertionError("unrecognised test file " + path)


@pytest.mark.parametrize("path", all_bills(), ids=lambda p: os.path.relpath(p, BILLING))
def test_every_export_matches_its_own_cost_column_to_the_cent(server, path):
    rows, expected = expected_totals(path)
    r = server.post("/api/v1/ingests", json={"paths": [path]})
    assert r.status_code == 201, r.text
    report = r.json()
    f = report["files"][0]
    assert f["path"] == path
    assert f["rows_read"] == rows
    assert f["rows_loaded"] + f["rows_rejected"] == rows
    for field, value in expected.items():
        got = D(f[field]) + (D(f["rejected_billed_cost"]) if field == "billed_cost" else 0)
        assert got.quantize(CENT) == value.quantize(CENT), (field, got, value)
        assert abs(got - value) < D("1e-9"), (field, got, value)  # exact, beyond the cent
    for rule in report["rules"]:
        assert rule["rows"] > 0 and rule["examples"], rule
        for example in rule["examples"]:
            assert re.match(r".+:\d+$", example), example


def test_detects_each_provider(server):
    cases = {
        "native/aws/koku_2022-07-01_athena_snake_case.csv": "aws-cur",
        "native/gcp/koku_gcp_bq_export_2022-08-01.csv": "gcp",
        "native/azure/koku_azure_v2_camel_mca.csv": "azure",
        "native/azure/koku_azure_v1_legacy_pretaxcost.csv": "azure",
        "native/oci/koku_oci_cost_report_2022-04-21.csv": "oci",
        "focus/focus-1.0_focus_sample_1000.csv": "focus",
        "focus/focus-1.3_contractcommitment_aws_synthetic_guymano.csv": "focus-contract-commitment",
    }
    for rel, provider in cases.items():
        r = server.post("/api/v1/ingests", json={"paths": [os.path.join(BILLING, rel)]})
        assert r.status_code == 201, r.text
        assert r.json()["files"][0]["provider"] == provider, rel


def test_reingest_replaces_the_period_and_never_doubles(server_factory, tmp_path):
    srv = server_factory.start()
    path = os.path.join(BILLING, "focus", "focus-1.0_focus_sample_1000.csv")
    first = srv.post("/api/v1/ingests", json={"paths": [path]})
    assert first.status_code == 201, first.text
    again = srv.post("/api/v1/ingests", json={"paths": [path]})
    assert again.status_code == 201, again.text
    assert again.json()["rows_replaced"] == first.json()["files"][0]["rows_loaded"]
    # A restated copy with one line's cost changed: that account's period is replaced by it.
    rows, header = read_rows(path)
    rows[0]["BilledCost"] = str(amount(rows[0]["BilledCost"]) + D("100"))
    restated = tmp_path / "restated.csv"
    with open(restated, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header)
        w.writeheader()
        w.writerows(rows)
    third = srv.post("/api/v1/ingests", json={"paths": [str(restated)]})
    assert third.status_code == 201, third.text
    assert D(third.json()["files"][0]["billed_cost"]) == D(first.json()["files"][0]["billed_cost"]) + 100
    listed = srv.get("/api/v1/ingests").json()["ingests"]
    assert [i["ingest_id"] for i in listed] == [third.json()["ingest_id"], again.json()["ingest_id"],
                                                first.json()["ingest_id"]]
    one = srv.get("/api/v1/ingests/%d" % first.json()["ingest_id"])
    assert one.status_code == 200 and one.json()["files"][0]["path"] == path


def test_bad_bills_get_clear_errors_and_change_nothing(server_factory, tmp_path):
    srv = server_factory.start()
    good = os.path.join(BILLING, "native", "oci", "koku_oci_cost_report_2022-04-21.csv")
    assert srv.post("/api/v1/ingests", json={"paths": [good]}).status_code == 201
    before = len(srv.get("/api/v1/ingests").json()["ingests"])

    not_a_bill = tmp_path / "people.csv"
    not_a_bill.write_text("name,age,city\nann,3,Oslo\n")
    non_numeric = tmp_path / "non_numeric.csv"
    rows, header = read_rows(os.path.join(BILLING, "focus", "focus-1.0_focus_sample_1000.csv"))
    rows[6]["BilledCost"] = "twelve"
    with open(non_numeric, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header)
        w.writeheader()
        w.writerows(rows)
    truncated = tmp_path / "truncated.csv.gz"
    data = gzip.compress(open(os.path.join(BILLING, "native", "aws",
                                           "focusconv_sample-anonymous-aws-export-dataset.csv"), "rb").read())
    truncated.write_bytes(data[: len(data) * 2 // 3])
    duplicate = tmp_path / "dup.csv"
    duplicate.write_text("BilledCost,ChargePeriodStart,BillingAccountId,billedcost\n1,2024-01-01,A,1\n")
    binary = tmp_path / "image.csv"
    binary.write_bytes(bytes(range(256)) * 40)
    cases = [
        (str(not_a_bill), "not a billing export of a known format"),
        (str(non_numeric), "non_numeric.csv:8: column \"BilledCost\": \"twelve\" is not a decimal number"),
        (str(truncated), "truncated"),
        (str(duplicate), "duplicate column(s) in the header: billedcost"),
        (str(binary), "image.csv"),
        (str(tmp_path / "missing.csv"), "no such file or folder"),
        ("relative/path.csv", "is not absolute"),
    ]
    for path, message in cases:
        r = srv.post("/api/v1/ingests", json={"paths": [good, path]})
        assert r.status_code == 400, (path, r.status_code, r.text)
        body = r.json()
        assert body["error_code"] == "INVALID_PARAMETER_VALUE", body
        assert message in body["message"], (message, body["message"])
    assert srv.post("/api/v1/ingests", json={"paths": [good], "provider": "gcp"}).status_code == 400
    assert srv.post("/api/v1/ingests", json={"paths": [good], "provider": "nonsense"}).status_code == 400
    assert srv.post("/api/v1/ingests", json={"paths": []}).status_code == 400
    assert srv.post("/api/v1/ingests", json={"paths": [good], "unknown": 1}).status_code == 400
    # Nothing was half-written, and the server keeps serving.
    assert len(srv.get("/api/v1/ingests").json()["ingests"]) == before
    assert srv.healthy()
