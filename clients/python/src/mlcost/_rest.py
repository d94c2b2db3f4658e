"""JSON over HTTP to the mlcost server (urllib only).

One function, request_json(), classifies every outcome: a dict for 2xx, ApiError for a refused
request (4xx other than 408/429), ServerUnavailable for anything worth retrying (connection
refused or reset, timeout, 408, 429, 5xx). Thread-safe: no shared state.
"""
import json
import os
import socket
import urllib.error
import urllib.parse
import urllib.request

from .errors import ApiError, ServerUnavailable

DEFAULT_TIMEOUT_S = 10.0
_RETRYABLE_STATUS = {408, 429}


def _auth_headers():
    token = os.environ.get("MLCOST_TOKEN") or os.environ.get("MLFLOW_TRACKING_TOKEN")
    return {"Authorization": "Bearer " + token} if token else {}


def _error_from_body(status, raw):
    try:
        body = json.loads(raw.decode("utf-8", "replace"))
        if isinstance(body, dict) and body.get("message"):
            return str(body.get("error_code") or "HTTP_%d" % status), str(body["message"])
    except ValueError:
        pass
    text = raw.decode("utf-8", "replace").strip()
    return "HTTP_%d" % status, text[:500] or "(empty body)"


def request_json(base_url, method, path, body=None, params=None, timeout=DEFAULT_TIMEOUT_S):
    """Sends one request to base_url + path and returns the decoded JSON answer (a dict).

    body (a JSON-able value) is sent as application/json; params become the query string.
    Raises ApiError for 4xx (except 408/429), ServerUnavailable for network errors, timeouts,
    408, 429 and 5xx. Never retries by itself.
    """
    url = base_url.rstrip("/") + path
    if params:
        url += "?" + urllib.parse.urlencode(params, doseq=True)
    data = None
    headers = {"Accept": "application/json"}
    headers.update(_auth_headers())
    if body is not None:
        data = json.dumps(body, allow_nan=True).encode("utf-8")
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
    except urllib.error.HTTPError as e:
        raw = e.read() if e.fp is not None else b""
        code, message = _error_from_body(e.code, raw)
        if e.code >= 500 or e.code in _RETRYABLE_STATUS:
            raise ServerUnavailable("%s %s: HTTP %d %s: %s" % (method, url, e.code, code, message)) from None
        raise ApiError(e.code, code, message) from None
    except (urllib.error.URLError, OSError, socket.timeout, ValueError) as e:
        # ValueError: http.client's "BadStatusLine"-style errors from a server that died mid-answer.
        raise ServerUnavailable("%s %s: %s" % (method, url, getattr(e, "reason", e))) from None
    if not raw.strip():
        return {}
    try:
        answer = json.loads(raw.decode("utf-8"))
    except ValueError:
        raise ServerUnavailable("%s %s: answer is not JSON: %r" % (method, url, raw[:200])) from None
    return answer if isinstance(answer, dict) else {"value": answer}
