#!/usr/bin/python3
"""Data cache benchmark (docs/performance.md, "Data cache").

One run, one machine, one client (curl):
  * throughput of a cached GET through `mlcost datacache serve` versus nginx (Debian nginx-light,
    sendfile on) serving the same bytes from a file, and versus the upstream s3rver itself;
  * latency of a hit: time to first byte of a small cached object through the cache versus the
    same file from nginx, over one keep-alive connection (curl fetching N URLs in one process).
Prints a table and the ratios, and exits 1 if a check fails (>= 80 % of nginx, >= 5x s3rver,
p50 added latency <= 1 ms). Usage:
  bench/datacache/bench_datacache.py [--binary build/mlcost] [--size-mib 512] [--rounds 5]
"""
import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests"))
from s3rver_process import ACCESS_KEY, SECRET_KEY, S3rver  # noqa: E402

SIGV4 = ["--aws-sigv4", "aws:amz:us-east-1:s3", "--user", "%s:%s" % (ACCESS_KEY, SECRET_KEY),
         "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def curl(url, signed, out="/dev/null", extra=()):
    """One GET; returns (bytes/s, seconds to first byte)."""
    cmd = ["curl", "-sS", "-f", "-o", out, "-w", "%{speed_download} %{time_starttransfer}\n", *extra]
    if signed:
        cmd += SIGV4
    res = subprocess.run(cmd + [url], check=True, capture_output=True, text=True)
    speed, ttfb = res.stdout.split()
    return float(speed), float(ttfb)


def ttfb_series(url, signed, n):
    """n GETs of `url` over one keep-alive connection; seconds from sending each request to
    receiving its whole (small) answer."""
    cmd = ["curl", "-sS", "-f", "-w", "%{time_total} %{time_pretransfer}\n"]
    if signed:
        cmd += SIGV4
    for _ in range(n):
        cmd += ["-o", "/dev/null", url]
    res = subprocess.run(cmd, check=True, capture_output=True, text=True)
    out = []
    for line in res.stdout.split("\n"):
        if line.strip():
            total, pre = map(float, line.split())
            out.append(total - pre)  # request sent -> last byte of the 4 KiB answer
    return out[5:]  # the first requests warm up the connection


def start_nginx(root, workdir):
    port = free_port()
    conf = os.path.join(workdir, "nginx.conf")
    with open(conf, "w") as f:
        f.write("""worker_processes 1;
daemon off;
pid %(w)s/nginx.pid;
error_log %(w)s/nginx-error.log;
events { worker_connections 64; }
http {
  sendfile on;
  tcp_nopush on;
  access_log off;
  client_body_temp_path %(w)s/body; proxy_temp_path %(w)s/proxy; fastcgi_temp_path %(w)s/fcgi;
  uwsgi_temp_path %(w)s/uwsgi; scgi_temp_path %(w)s/scgi;
  server { listen 127.0.0.1:%(p)d; root %(r)s; }
}
""" % {"w": workdir, "p": port, "r": root})
    proc = subprocess.Popen(["/usr/sbin/nginx", "-c", conf, "-p", workdir], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return proc, "http://127.0.0.1:%d" % port
        except OSError:
            time.sleep(0.05)
    raise SystemExit("nginx did not start: see " + workdir + "/nginx-error.log")


def start_cache(binary, upstream, cache_dir):
    env = dict(os.environ, AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY)
    proc = subprocess.Popen([binary, "datacache", "serve", "--upstream", upstream, "--dir", cache_dir,
                             "--max-size", "8G", "--ttl", "3600", "--port", "0"], env=env,
                            stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
    line = proc.stdout.readline().decode()
    m = re.search(r"listening on (http://\S+)", line)
    if not m:
        raise SystemExit("datacache did not start: " + line)
    return proc, m.group(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(REPO, "build", "mlcost"))
    ap.add_argument("--size-mib", type=int, default=512)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--latency-requests", type=int, default=400)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="mlcost-datacache-bench-")
    os.chmod(work, 0o755)  # nginx's workers run as an unprivileged user when started by root
    procs = []
    try:
        s3 = S3rver(work, buckets=["bench"])
        www = os.path.join(work, "www")
        os.makedirs(os.path.join(www, "bench"))
        big = os.path.join(www, "bench", "big.bin")
        with open(big, "wb") as f:
            chunk = os.urandom(1 << 20)
            for _ in range(args.size_mib):
                f.write(chunk)
        with open(os.path.join(www, "bench", "small.bin"), "wb") as f:
            f.write(os.urandom(4096))
        client = s3.boto3()
        client.upload_file(big, "bench", "big.bin")
        client.upload_file(os.path.join(www, "bench", "small.bin"), "bench", "small.bin")

        nginx, nginx_url = start_nginx(www, work)
        procs.append(nginx)
        cache, cache_url = start_cache(args.binary, s3.url, os.path.join(work, "cache"))
        procs.append(cache)

        # Warm: the first GET is the miss that fills the cache (checked byte for byte).
        fetched = os.path.join(work, "fetched.bin")
        miss_speed, _ = curl(cache_url + "/bench/big.bin", True, out=fetched)
        if subprocess.run(["cmp", "-s", fetched, big]).returncode != 0:
            raise SystemExit("the cache returned different bytes")
        os.unlink(fetched)
        curl(nginx_url + "/bench/big.bin", False)  # page cache warm for nginx too

        rows = {"nginx (sendfile)": [], "mlcost datacache hit": [], "s3rver (upstream)": []}
        for r in range(args.rounds):
            rows["nginx (sendfile)"].append(curl(nginx_url + "/bench/big.bin", False)[0])
            rows["mlcost datacache hit"].append(curl(cache_url + "/bench/big.bin", True)[0])
            rows["s3rver (upstream)"].append(curl(s3.url + "/bench/big.bin", True)[0])
        med = {k: statistics.median(v) for k, v in rows.items()}

        curl(cache_url + "/bench/small.bin", True)  # cache the small object
        lat_cache = ttfb_series(cache_url + "/bench/small.bin", True, args.latency_requests)
        lat_nginx = ttfb_series(nginx_url + "/bench/small.bin", False, args.latency_requests)
        p50_cache = statistics.median(lat_cache) * 1e3
        p50_nginx = statistics.median(lat_nginx) * 1e3
        p99_cache = sorted(lat_cache)[int(len(lat_cache) * 0.99)] * 1e3

        print("object %d MiB, %d rounds, curl over loopback, %d CPUs, load average %.1f" %
              (args.size_mib, args.rounds, os.cpu_count(), os.getloadavg()[0]))
        print("%-24s %12s" % ("server", "median MB/s"))
        for k, v in med.items():
            print("%-24s %12.0f" % (k, v / 1e6))
        print("%-24s %12.0f" % ("mlcost datacache miss", miss_speed / 1e6))
        vs_nginx = med["mlcost datacache hit"] / med["nginx (sendfile)"]
        vs_s3 = med["mlcost datacache hit"] / med["s3rver (upstream)"]
        print("cache hit / nginx   = %.2f  (target >= 0.80)" % vs_nginx)
        print("cache hit / s3rver  = %.1fx (target >= 5x)" % vs_s3)
        print("4 KiB hit, request->answer: cache p50 %.3f ms (p99 %.3f), nginx p50 %.3f ms; added p50 %.3f ms "
              "(target <= 1 ms)" % (p50_cache, p99_cache, p50_nginx, p50_cache - p50_nginx))
        ok = vs_nginx >= 0.8 and vs_s3 >= 5 and p50_cache - p50_nginx <= 1.0
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(20)
                except subprocess.TimeoutExpired:
                    p.kill()
        try:
            s3.stop()
        except NameError:
            pass
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
