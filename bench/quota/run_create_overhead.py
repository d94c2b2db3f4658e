"""What quotas add to run creation and should-stop: the median latency of POST /api/v1/runs and
GET /api/v1/runs/{id}/should-stop with no quota, then with a block + stop quota on the team of
N existing priced runs, all running in the quota's team and month, so every check has to count all
N (the SQL selection of docs/quotas.md "What a check reads" removes none of them). Prints the ratio
against the no-quota baseline measured in the same process.

usage: /usr/bin/python3 bench/quota/run_create_overhead.py [--runs 1000] [--samples 50] [--binary build/mlcost]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "python"))
from conftest import ServerFactory  # noqa: E402


def median_ms(fn, samples):
    times = []
    for _ in range(samples):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--samples", type=int, default=50)
    ap.add_argument("--binary", default=os.path.join("build", "mlcost"))
    a = ap.parse_args()
    os.environ["MLCOST_BINARY"] = os.path.abspath(a.binary)
    with tempfile.TemporaryDirectory() as tmp:
        factory = ServerFactory(tmp)
        try:
            server = factory.start(extra_args=["--quota-interval", "0"])
            s = requests.Session()
            body = {"team": "bench", "instance_type": "p3.2xlarge", "provider": "aws", "region": "us-east-1"}
            ids = [s.post(server.url + "/api/v1/runs", json=body).json()["id"] for _ in range(a.runs)]
            create = lambda: s.post(server.url + "/api/v1/runs", json=body)  # noqa: E731
            stop = lambda: s.get(server.url + "/api/v1/runs/%s/should-stop" % ids[0])  # noqa: E731
            base_create, base_stop = median_ms(create, a.samples), median_ms(stop, a.samples)
            r = s.post(server.url + "/api/v1/quotas", json={"scope": "team", "name": "bench", "period": "month",
                                                             "limit": "1000000", "actions": ["block", "stop"]})
            assert r.status_code == 201, r.text
            q_create, q_stop = median_ms(create, a.samples), median_ms(stop, a.samples)
            status = s.get(server.url + "/api/v1/quotas/%d/status" % r.json()["quota_id"]).json()
            assert status["runs_counted"] >= a.runs, status  # the check really priced every run
            print("runs in store: %d (+%d created while measuring)" % (a.runs, 2 * a.samples))
            print("POST /api/v1/runs      no quota %.2f ms, block quota %.2f ms, ratio %.1fx"
                  % (base_create, q_create, q_create / base_create))
            print("GET  should-stop       no quota %.2f ms, stop quota  %.2f ms, ratio %.1fx"
                  % (base_stop, q_stop, q_stop / base_stop))
        finally:
            factory.cleanup()


if __name__ == "__main__":
    main()
