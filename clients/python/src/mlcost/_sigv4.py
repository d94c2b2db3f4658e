"""AWS Signature Version 4 (header form) with hashlib/hmac only.

sign() is a pure function of its inputs (no clock, no environment), so it is unit-tested
against AWS's published example vectors.
"""
import hashlib
import hmac
import urllib.parse

ALGORITHM = "AWS4-HMAC-SHA256"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def _hmac(key, msg):
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def uri_encode(text, keep_slash):
    """AWS URI encoding: every byte except A-Z a-z 0-9 - _ . ~ (and '/' when keep_slash)."""
    return urllib.parse.quote(text, safe="/~" if keep_slash else "~")


def canonical_query(pairs):
    """pairs: list of (name, value) not yet encoded -> the canonical query string."""
    encoded = [(uri_encode(k, False), uri_encode(v, False)) for k, v in pairs]
    return "&".join("%s=%s" % kv for kv in sorted(encoded))


def _canonical_headers(headers):
    folded = {}
    for name, value in headers.items():
        key = name.strip().lower()
        val = " ".join(str(value).strip().split())
        folded[key] = folded[key] + "," + val if key in folded else val
    names = sorted(folded)
    text = "".join("%s:%s\n" % (n, folded[n]) for n in names)
    return text, ";".join(names)


def sign(method, path, query_pairs, headers, payload_sha256, access_key, secret_key, region, service,
         amz_date):
    """Signs one request and returns (authorization_header, canonical_request, string_to_sign).

    path: the already URI-encoded absolute path ("/bucket/key"); query_pairs: raw (name, value)
    pairs; headers: every header to sign (must include host and x-amz-date, whose value is
    amz_date, "YYYYMMDDTHHMMSSZ"); payload_sha256: hex digest of the body or "UNSIGNED-PAYLOAD".
    """
    canon_headers, signed_headers = _canonical_headers(headers)
    canonical_request = "\n".join([method.upper(), path or "/", canonical_query(query_pairs), canon_headers,
                                   signed_headers, payload_sha256])
    date = amz_date[:8]
    scope = "%s/%s/%s/aws4_request" % (date, region, service)
    string_to_sign = "\n".join([ALGORITHM, amz_date, scope,
                                hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()])
    key = _hmac(("AWS4" + secret_key).encode("utf-8"), date)
    key = _hmac(key, region)
    key = _hmac(key, service)
    key = _hmac(key, "aws4_request")
    signature = hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    authorization = "%s Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        ALGORITHM, access_key, scope, signed_headers, signature)
    return authorization, canonical_request, string_to_sign
