"""`mlcost datacache serve` against a real s3rver upstream, driven by boto3 and the aws CLI."""
import http.client
import os
import subprocess
import threading
import urllib.parse

import pytest
import requests
from botocore.exceptions import ClientError

from conftest import ACCESS_KEY, SECRET_KEY, aws_env, cache_header

MiB = 1 << 20


def payload(n, seed):
    return (seed.encode() * (n // len(seed) + 1))[:n]


def get(client, key, **kw):
    r = client.get_object(Bucket="data", Key=key, **kw)
    return r["Body"].read(), r


def test_get_head_and_range_are_served_from_the_cache_after_one_miss(upstream, start_cache):
    body = os.urandom(3 * MiB + 17)
    upstream.put_object(Bucket="data", Key="train/shard 0.bin", Body=body, ContentType="application/x-shard")
    cache = start_cache()
    c = cache.boto3()
    got, r = get(c, "train/shard 0.bin")
    assert got == body and cache_header(r) == "miss"
    assert r["ContentType"] == "application/x-shard"
    got, r = get(c, "train/shard 0.bin")
    assert got == body and cache_header(r) == "hit"
    assert r["ETag"] == upstream.head_object(Bucket="data", Key="train/shard 0.bin")["ETag"]
    head = c.head_object(Bucket="data", Key="train/shard 0.bin")
    assert head["ContentLength"] == len(body) and cache_header(head) == "hit"
    got, r = get(c, "train/shard 0.bin", Range="bytes=1000-1999")
    assert got == body[1000:2000]
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert r["ContentRange"] == "bytes 1000-1999/%d" % len(body)
    got, _ = get(c, "train/shard 0.bin", Range="bytes=-10")
    assert got == body[-10:]
    with pytest.raises(ClientError) as e:
        get(c, "train/shard 0.bin", Range="bytes=%d-" % (len(body) + 5))
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 416
    m = cache.metrics()
    assert m["mlcost_datacache_upstream_requests_total{method=\"GET\"}"] == 1
    assert m["mlcost_datacache_misses_total"] == 1
    assert m["mlcost_datacache_hits_total"] == 5  # GET, HEAD, two ranges, the 416 range
    assert m["mlcost_datacache_cached_bytes"] == len(body)
    with pytest.raises(ClientError) as e:
        get(c, "no/such/key")
    assert e.value.response["Error"]["Code"] == "NoSuchKey"


def test_upstream_down_serves_the_cached_copy_marked_stale(s3rver, upstream, start_cache):
    upstream.put_object(Bucket="data", Key="a", Body=b"cached bytes")
    cache = start_cache(ttl=0)  # every read asks the upstream first
    c = cache.boto3()
    assert get(c, "a")[0] == b"cached bytes"
    s3rver.stop()
    got, r = get(c, "a")
    assert got == b"cached bytes"
    assert cache_header(r) == "stale"
    assert cache_header(c.head_object(Bucket="data", Key="a")) == "stale"
    with pytest.raises(ClientError) as e:  # never cached: nothing to serve
        get(c, "b")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503


def test_changed_object_is_never_served_stale_after_the_ttl(upstream, start_cache, tmp_path):
    upstream.put_object(Bucket="data", Key="labels.csv", Body=b"version 1")
    cache = start_cache(ttl=0)
    c = cache.boto3()
    assert get(c, "labels.csv")[0] == b"version 1"
    upstream.put_object(Bucket="data", Key="labels.csv", Body=b"version 2, longer")
    got, r = get(c, "labels.csv")
    assert got == b"version 2, longer" and cache_header(r) == "miss"
    got, r = get(c, "labels.csv")
    assert got == b"version 2, longer" and cache_header(r) == "hit"  # same ETag: revalidated
    upstream.delete_object(Bucket="data", Key="labels.csv")
    with pytest.raises(ClientError) as e:
        get(c, "labels.csv")
    assert e.value.response["Error"]["Code"] == "NoSuchKey"
    m = cache.metrics()
    assert m["mlcost_datacache_revalidations_changed_total"] == 2

    # Within the TTL the cache does not ask: that is what the TTL means.
    upstream.put_object(Bucket="data", Key="t", Body=b"old")
    long_ttl = start_cache(cache_dir=tmp_path / "cache2", ttl=3600).boto3()
    assert get(long_ttl, "t")[0] == b"old"
    upstream.put_object(Bucket="data", Key="t", Body=b"new")
    got, r = get(long_ttl, "t")
    assert got == b"old" and cache_header(r) == "hit"


def test_concurrent_misses_of_one_object_fetch_it_once(upstream, start_cache):
    body = os.urandom(24 * MiB)
    upstream.put_object(Bucket="data", Key="big", Body=body)
    cache = start_cache(max_size="256M")
    results = []

    def worker():
        c = cache.boto3()
        results.append(get(c, "big")[0] == body)

    threads = [threading.Thread(target=worker) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True] * 12
    m = cache.metrics()
    assert m["mlcost_datacache_upstream_requests_total{method=\"GET\"}"] == 1
    assert m["mlcost_datacache_upstream_bytes_total"] == len(body)
    assert m["mlcost_datacache_misses_total"] + m["mlcost_datacache_hits_total"] == 12


def test_lru_eviction_by_bytes(upstream, start_cache):
    for k in "abcd":
        upstream.put_object(Bucket="data", Key=k, Body=payload(MiB, k))
    cache = start_cache(max_size="3M")
    c = cache.boto3()
    for k in "abc":
        assert cache_header(get(c, k)[1]) == "miss"
    assert cache_header(get(c, "a")[1]) == "hit"  # b is now the least recently used
    assert cache_header(get(c, "d")[1]) == "miss"  # evicts b
    m = cache.metrics()
    assert m["mlcost_datacache_evictions_total"] == 1
    assert m["mlcost_datacache_evicted_bytes_total"] == MiB
    assert m["mlcost_datacache_cached_bytes"] == 3 * MiB
    assert cache_header(get(c, "a")[1]) == "hit"
    assert cache_header(get(c, "c")[1]) == "hit"
    got, r = get(c, "b")
    assert got == payload(MiB, "b") and cache_header(r) == "miss"


def test_restart_keeps_the_cache(s3rver, upstream, start_cache, tmp_path):
    upstream.put_object(Bucket="data", Key="x", Body=b"persisted")
    first = start_cache(cache_dir=tmp_path / "c")
    assert get(first.boto3(), "x")[0] == b"persisted"
    first.stop()
    s3rver.stop()  # only the disk can answer now
    second = start_cache(cache_dir=tmp_path / "c")
    got, r = get(second.boto3(), "x")
    assert got == b"persisted" and cache_header(r) == "hit"


def test_one_process_per_cache_directory(start_cache, tmp_path):
    start_cache(cache_dir=tmp_path / "shared")
    from conftest import DataCache
    with pytest.raises(AssertionError) as e:
        DataCache("http://127.0.0.1:9", tmp_path / "shared")
    assert "in use by another mlcost datacache process" in str(e.value)


def test_bad_signatures_are_refused_with_403(upstream, start_cache):
    upstream.put_object(Bucket="data", Key="secret", Body=b"x")
    cache = start_cache()
    with pytest.raises(ClientError) as e:
        get(cache.boto3(secret="wrong-secret"), "secret")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert e.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
    with pytest.raises(ClientError) as e:
        get(cache.boto3(access="SOMEONE"), "secret")
    assert e.value.response["Error"]["Code"] == "InvalidAccessKeyId"
    with pytest.raises(ClientError) as e:
        cache.boto3(secret="wrong-secret").put_object(Bucket="data", Key="secret", Body=b"overwritten")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert upstream.get_object(Bucket="data", Key="secret")["Body"].read() == b"x"
    r = requests.get(cache.url + "/data/secret", timeout=10)
    assert r.status_code == 403 and "<Code>AccessDenied</Code>" in r.text
    # A presigned URL works; a tampered one does not.
    import boto3
    from botocore.config import Config
    v4 = boto3.client("s3", endpoint_url=cache.url, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                      region_name="us-east-1", config=Config(signature_version="s3v4"))
    url = v4.generate_presigned_url("get_object", Params={"Bucket": "data", "Key": "secret"})
    assert requests.get(url, timeout=10).content == b"x"
    assert requests.get(url.replace("/secret?", "/secreT?"), timeout=10).status_code == 403
    v2 = cache.boto3().generate_presigned_url("get_object", Params={"Bucket": "data", "Key": "secret"})
    r = requests.get(v2, timeout=10)
    assert r.status_code == 403 and "Signature Version 2" in r.text
    assert cache.metrics()["mlcost_datacache_auth_failures_total"] >= 6


def test_path_traversal_is_refused(start_cache):
    cache = start_cache()
    host, port = urllib.parse.urlparse(cache.url).netloc.split(":")
    for path in ["/data/../../etc/passwd", "/data/%2e%2e/%2e%2e/etc/passwd", "/data/a%2F..%2F..%2Fb", "/../x"]:
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        conn.request("GET", path)
        r = conn.getresponse()
        body = r.read().decode()
        assert r.status == 400, (path, r.status, body)
        assert "<Code>InvalidURI</Code>" in body and "traversal" in body
        conn.close()


def test_writes_and_listings_pass_through_and_invalidate(upstream, start_cache, tmp_path):
    cache = start_cache()
    c = cache.boto3()
    c.put_object(Bucket="data", Key="w/one", Body=b"first")
    assert upstream.get_object(Bucket="data", Key="w/one")["Body"].read() == b"first"
    assert get(c, "w/one")[0] == b"first"
    c.put_object(Bucket="data", Key="w/one", Body=b"second")  # through the cache: drops the cached copy
    got, r = get(c, "w/one")
    assert got == b"second" and cache_header(r) == "miss"
    c.put_object(Bucket="data", Key="w/two", Body=b"2")
    keys = [o["Key"] for o in c.list_objects_v2(Bucket="data", Prefix="w/")["Contents"]]
    assert keys == ["w/one", "w/two"]
    c.delete_object(Bucket="data", Key="w/one")
    with pytest.raises(ClientError) as e:
        get(c, "w/one")
    assert e.value.response["Error"]["Code"] == "NoSuchKey"
    get(c, "w/two")
    c.delete_objects(Bucket="data", Delete={"Objects": [{"Key": "w/two"}]})
    with pytest.raises(ClientError):
        get(c, "w/two")
    assert cache.metrics()["mlcost_datacache_cached_objects"] == 0

    # The aws CLI, pointed at the cache with --endpoint-url, changes nothing else.
    src = tmp_path / "upload.bin"
    src.write_bytes(payload(2 * MiB + 3, "cli"))
    env = aws_env()
    aws = ["aws", "--endpoint-url", cache.url, "s3"]
    subprocess.run(aws + ["cp", str(src), "s3://data/cli/upload.bin"], check=True, env=env, capture_output=True)
    assert upstream.get_object(Bucket="data", Key="cli/upload.bin")["Body"].read() == src.read_bytes()
    out = subprocess.run(aws + ["ls", "s3://data/cli/"], check=True, env=env, capture_output=True, text=True)
    assert "upload.bin" in out.stdout
    dst = tmp_path / "download.bin"
    for _ in range(2):
        subprocess.run(aws + ["cp", "s3://data/cli/upload.bin", str(dst)], check=True, env=env, capture_output=True)
        assert dst.read_bytes() == src.read_bytes()
    assert cache.metrics()["mlcost_datacache_hits_total"] >= 1


def test_broken_cache_disk_falls_back_to_the_upstream(upstream, start_cache, tmp_path):
    body = os.urandom(10 * MiB + 1)
    upstream.put_object(Bucket="data", Key="k", Body=body)
    cache = start_cache(cache_dir=tmp_path / "c")
    tmp = tmp_path / "c" / "tmp"
    os.rmdir(tmp)
    tmp.write_text("not a directory")  # every download now fails to open its file
    c = cache.boto3()
    got, r = get(c, "k")
    assert got == body and cache_header(r) == "passthrough"
    got, _ = get(c, "k", Range="bytes=5-9")
    assert got == body[5:10]
    assert cache.metrics()["mlcost_datacache_disk_errors_total"] >= 1


def test_bad_arguments_exit_2(tmp_path):
    from conftest import binary_path
    # Each refusal names the option and the bad value.
    for upstream, args, says in (
            ("http://127.0.0.1:9", ["--max-size", "lots"], "--max-size: size 'lots'"),
            ("http://127.0.0.1:9", ["--max-size", "0"], "--max-size must be greater than 0"),
            ("http://127.0.0.1:9", ["--max-size", "1G", "--min-free", "-1"], "--min-free: size '-1'"),
            ("ftp://x", ["--max-size", "1G"], "--upstream: S3 endpoint 'ftp://x' is not a URL")):
        full = ["datacache", "serve", "--upstream", upstream, "--dir", str(tmp_path / "d"), *args]
        p = subprocess.run([binary_path(), *full], capture_output=True, text=True, env=aws_env(), timeout=30)
        assert p.returncode == 2, (args, p.stderr)
        assert "mlcost datacache serve: " + says in p.stderr, (args, p.stderr)
    env = aws_env()
    env.pop("AWS_ACCESS_KEY_ID")
    p = subprocess.run([binary_path(), "datacache", "serve", "--upstream", "http://127.0.0.1:9", "--dir",
                        str(tmp_path / "d"), "--max-size", "1G"], capture_output=True, text=True, env=env, timeout=30)
    assert p.returncode == 1 and "AWS_ACCESS_KEY_ID" in p.stderr
