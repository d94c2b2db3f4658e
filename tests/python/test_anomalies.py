"""GET /api/v1/anomalies and /api/v1/forecast on a real server, and `mlcost anomalies` / `mlcost forecast`.

The parameter checks and the empty-table answers run on an empty server. The end-to-end check writes a
small FOCUS CSV (60 days, one injected spike) and loads it through POST /api/v1/ingests.
"""
import csv
import datetime
import json
import os
import subprocess
from decimal import Decimal

import pytest

from conftest import binary_path

FIRST_DAY = datetime.date(2024, 8, 1)
DAYS = 60  # 2024-08-01 .. 2024-09-29
SPIKE_DAY = datetime.date(2024, 9, 18)  # a Wednesday

FOCUS_COLUMNS = [
    "BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency", "BillingPeriodEnd",
    "BillingPeriodStart", "ChargeCategory", "ChargeClass", "ChargeDescription", "ChargeFrequency",
    "ChargePeriodEnd", "ChargePeriodStart", "ConsumedQuantity", "ConsumedUnit", "ContractedCost",
    "ContractedUnitPrice", "EffectiveCost", "InvoiceIssuerName", "ListCost", "ListUnitPrice",
    "PricingCategory", "PricingQuantity", "PricingUnit", "ProviderName", "PublisherName", "RegionId",
    "RegionName", "ResourceId", "ResourceName", "ResourceType", "ServiceCategory", "ServiceName", "SkuId",
    "SkuPriceId", "SubAccountId", "SubAccountName", "Tags",
]


def _compute_cost(day):
    if day == SPIKE_DAY:
        return Decimal("31.5")
    return Decimal("4") if day.weekday() >= 5 else Decimal("10")


def _iso(day):
    return day.strftime("%Y-%m-%dT00:00:00Z")


def _month_bounds(day):
    start = day.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, end


def _write_focus_csv(path):
    """One Compute row (tag team=ml) and one Storage row per day."""
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FOCUS_COLUMNS)
        w.writeheader()
        for i in range(DAYS):
            day = FIRST_DAY + datetime.timedelta(days=i)
            start, end = _month_bounds(day)
            for service, cost, tags in (("Compute", _compute_cost(day), {"team": "ml"}),
                                        ("Storage", Decimal("2"), {"team": "data"})):
                w.writerow({
                    "BilledCost": str(cost), "BillingAccountId": "acct-1", "BillingAccountName": "Test",
                    "BillingCurrency": "USD", "BillingPeriodStart": _iso(start), "BillingPeriodEnd": _iso(end),
                    "ChargeCategory": "Usage", "ChargeClass": "", "ChargeDescription": service + " usage",
                    "ChargeFrequency": "Usage-Based", "ChargePeriodStart": _iso(day),
                    "ChargePeriodEnd": _iso(day + datetime.timedelta(days=1)), "ConsumedQuantity": "24",
                    "ConsumedUnit": "Hours", "ContractedCost": str(cost), "ContractedUnitPrice": "",
                    "EffectiveCost": str(cost), "InvoiceIssuerName": "Test Cloud", "ListCost": str(cost),
                    "ListUnitPrice": "", "PricingCategory": "Standard", "PricingQuantity": "24",
                    "PricingUnit": "Hours", "ProviderName": "Test Cloud", "PublisherName": "Test Cloud",
                    "RegionId": "eu-west-1", "RegionName": "Europe (Ireland)", "ResourceId": service.lower() + "-1",
                    "ResourceName": service.lower() + "-1", "ResourceType": "VM", "ServiceCategory": "Compute",
                    "ServiceName": service, "SkuId": "sku-" + service.lower(), "SkuPriceId": "price-" + service.lower(),
                    "SubAccountId": "sub-1", "SubAccountName": "Sub", "Tags": json.dumps(tags),
                })


def _error(response, status, needle):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error_code"] == "INVALID_PARAMETER_VALUE", body
    assert needle in body["message"], body


@pytest.mark.parametrize("path,params,needle", [
    ("/api/v1/anomalies", {"scope": "team"}, "invalid scope"),
    ("/api/v1/anomalies", {"metric": "amortized"}, "invalid metric"),
    ("/api/v1/anomalies", {"since": "last week"}, "since"),
    ("/api/v1/anomalies", {"since": "2024-09-02", "until": "2024-09-01"}, "since"),
    ("/api/v1/anomalies", {"min_impact": "-3"}, "min_impact"),
    ("/api/v1/anomalies", {"bogus": "1"}, "unknown field 'bogus'"),
    ("/api/v1/forecast", {"month": "2024-13"}, "month"),
    ("/api/v1/forecast", {"scope": "tag:"}, "invalid scope"),
])
def test_bad_parameters_are_clear_400s(server, path, params, needle):
    _error(server.get(path, params=params), 400, needle)


def test_empty_table(server_factory):
    server = server_factory.start()
    a = server.get("/api/v1/anomalies")
    assert a.status_code == 200, a.text
    assert a.json()["anomalies"] == []
    f = server.get("/api/v1/forecast", params={"month": "2024-09"})
    assert f.status_code == 200, f.text
    assert f.json()["forecasts"] == [] and f.json()["as_of"] is None


def _run_cli(*args):
    return subprocess.run([binary_path(), *args], capture_output=True, text=True, timeout=60)


def test_injected_spike_end_to_end(server_factory, tmp_path):
    server = server_factory.start()
    csv_path = str(tmp_path / "focus.csv")
    _write_focus_csv(csv_path)
    r = server.post("/api/v1/ingests", json={"paths": [csv_path], "provider": "focus"})
    assert r.status_code == 201, "ingest of %s failed: %s" % (csv_path, r.text)

    # The ingest is synchronous: its answer means the lines are committed.
    a = server.get("/api/v1/anomalies", params={"scope": "service_name"})
    assert a.status_code == 200, a.text
    body = a.json()
    assert body["until"] == (FIRST_DAY + datetime.timedelta(days=DAYS - 1)).isoformat()
    assert [(x["value"], x["date"]) for x in body["anomalies"]] == [("Compute", SPIKE_DAY.isoformat())], body
    x = body["anomalies"][0]
    assert Decimal(x["actual"]) == Decimal("31.5")
    assert Decimal(x["expected"]) == Decimal("10")
    assert Decimal(x["impact"]) == Decimal("21.5")
    assert x["impact_percent"] == pytest.approx(215.0)

    by_team = server.get("/api/v1/anomalies", params={"scope": "tag:team"}).json()
    assert [(x["value"], x["date"]) for x in by_team["anomalies"]] == [("ml", SPIKE_DAY.isoformat())], by_team

    f = server.get("/api/v1/forecast", params={"scope": "service_name", "month": "2024-09"}).json()
    assert f["as_of"] == "2024-09-29" and f["days_remaining"] == 1, f
    compute = next(s for s in f["forecasts"] if s["value"] == "Compute")
    september = [FIRST_DAY + datetime.timedelta(days=i) for i in range(DAYS)]
    mtd = sum(_compute_cost(d) for d in september if d.month == 9)
    assert Decimal(compute["month_to_date"]) == mtd
    # The one remaining day, 2024-09-30, is a Monday: the weekday level.
    assert Decimal(compute["forecast"]) == mtd + Decimal("10")

    cli = _run_cli("anomalies", "--server", server.url, "--json")
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["anomalies"][0]["date"] == SPIKE_DAY.isoformat()
    table = _run_cli("forecast", "--server", server.url, "--month", "2024-09")
    assert table.returncode == 0, table.stderr
    assert "Compute" in table.stdout and "Storage" in table.stdout
