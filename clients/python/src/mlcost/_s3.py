"""A small S3 client (path-style, AWS Signature V4) on http.client: PUT, GET, DELETE, list.

Endpoint: the argument, else $MLCOST_S3_ENDPOINT_URL, else $AWS_ENDPOINT_URL, else
https://s3.REGION.amazonaws.com (REGION from $AWS_REGION / $AWS_DEFAULT_REGION, default
us-east-1). Credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN.
Thread-safe (one connection per request).
"""
import datetime
import hashlib
import http.client
import os
import urllib.parse
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape as xml_escape

from . import _sigv4
from .errors import CheckpointError

TIMEOUT_S = 60.0
CHUNK = 1 << 20
PART_SIZE = 64 << 20  # multipart upload above this, in parts of this size (S3 minimum: 5 MiB)


class S3Error(CheckpointError):
    def __init__(self, status, code, message, what):
        super().__init__("%s: HTTP %d %s: %s" % (what, status, code, message))
        self.status = status
        self.code = code


def _strip_ns(tag):
    return tag.rsplit("}", 1)[-1]


class S3Client:
    def __init__(self, endpoint=None, region=None, access_key=None, secret_key=None, session_token=None):
        self.region = region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
        endpoint = (endpoint or os.environ.get("MLCOST_S3_ENDPOINT_URL") or os.environ.get("AWS_ENDPOINT_URL")
                    or "https://s3.%s.amazonaws.com" % self.region)
        parts = urllib.parse.urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise CheckpointError("S3 endpoint must be http(s)://HOST[:PORT], got %r" % endpoint)
        self.scheme = parts.scheme
        self.netloc = parts.netloc
        self.base_path = parts.path.rstrip("/")
        self.access_key = access_key or os.environ.get("AWS_ACCESS_KEY_ID", "")
        self.secret_key = secret_key or os.environ.get("AWS_SECRET_ACCESS_KEY", "")
        self.session_token = session_token or os.environ.get("AWS_SESSION_TOKEN")
        try:
            self.part_size = max(5 << 20, int(os.environ.get("MLCOST_S3_PART_SIZE", PART_SIZE)))
        except ValueError:
            self.part_size = PART_SIZE
        if not self.access_key or not self.secret_key:
            raise CheckpointError("S3 needs credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")

    def _request(self, method, bucket, key="", query=None, body=None, payload_sha256=None, length=None):
        """Sends one signed request; returns the open HTTPResponse (caller reads and closes)."""
        path = self.base_path + "/" + _sigv4.uri_encode(bucket, False)
        if key:
            path += "/" + _sigv4.uri_encode(key, True)
        query = list(query or [])
        amz_date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        payload_sha256 = payload_sha256 or _sigv4.EMPTY_SHA256
        headers = {"host": self.netloc, "x-amz-date": amz_date, "x-amz-content-sha256": payload_sha256}
        if self.session_token:
            headers["x-amz-security-token"] = self.session_token
        auth, _, _ = _sigv4.sign(method, path, query, headers, payload_sha256, self.access_key, self.secret_key,
                                 self.region, "s3", amz_date)
        headers["Authorization"] = auth
        if length is not None:
            headers["Content-Length"] = str(length)
        elif method in ("PUT", "POST"):
            headers["Content-Length"] = "0"
        url = path
        if query:
            url += "?" + "&".join("%s=%s" % (_sigv4.uri_encode(k, False), _sigv4.uri_encode(v, False)) for k, v in query)
        conn_cls = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
        conn = conn_cls(self.netloc, timeout=TIMEOUT_S, blocksize=CHUNK)
        what = "%s s3://%s/%s" % (method, bucket, key)
        try:
            conn.request(method, url, body=body, headers=headers)
            resp = conn.getresponse()
        except OSError as e:
            conn.close()
            raise CheckpointError("%s: %s" % (what, e)) from None
        resp._mlcost_conn = conn  # closed with the response
        return resp, what

    @staticmethod
    def _fail(resp, what):
        raw = resp.read()
        resp._mlcost_conn.close()
        code, message = "HTTP_%d" % resp.status, raw.decode("utf-8", "replace")[:300]
        try:
            root = ET.fromstring(raw)
            fields = {_strip_ns(c.tag): (c.text or "") for c in root}
            code, message = fields.get("Code", code), fields.get("Message", message)
        except ET.ParseError:
            pass
        raise S3Error(resp.status, code, message, what)

    def put_file(self, bucket, key, path, sha256):
        """Uploads a file whose sha256 (hex) the caller computed; files over part_size go up as
        a multipart upload (S3 refuses single PUTs over 5 GB), aborted on any failure."""
        size = os.path.getsize(path)
        if size > self.part_size:
            return self._put_multipart(bucket, key, path, size)
        with open(path, "rb") as f:
            resp, what = self._request("PUT", bucket, key, body=f, payload_sha256=sha256, length=size)
        self._finish(resp, what)

    def _xml_answer(self, resp, what):
        if resp.status != 200:
            self._fail(resp, what)
        raw = resp.read()
        resp._mlcost_conn.close()
        root = ET.fromstring(raw)
        if _strip_ns(root.tag) == "Error":  # S3 may answer 200 with an error body on complete
            fields = {_strip_ns(c.tag): (c.text or "") for c in root}
            raise S3Error(200, fields.get("Code", "Error"), fields.get("Message", ""), what)
        return {_strip_ns(c.tag): (c.text or "") for c in root}

    def _put_multipart(self, bucket, key, path, size):
        resp, what = self._request("POST", bucket, key, query=[("uploads", "")])
        upload_id = self._xml_answer(resp, what).get("UploadId")
        if not upload_id:
            raise CheckpointError("%s: no UploadId in the answer" % what)
        try:
            parts = []
            with open(path, "rb") as f:
                number = 0
                while True:
                    chunk = f.read(self.part_size)
                    if not chunk and number > 0:
                        break
                    number += 1
                    resp, what = self._request("PUT", bucket, key, body=chunk,
                                               query=[("partNumber", str(number)), ("uploadId", upload_id)],
                                               payload_sha256=hashlib.sha256(chunk).hexdigest(), length=len(chunk))
                    etag = resp.getheader("ETag")
                    self._finish(resp, what)
                    if not etag:
                        raise CheckpointError("%s: part %d answered without an ETag" % (what, number))
                    parts.append((number, etag))
            body = ("<CompleteMultipartUpload>%s</CompleteMultipartUpload>" % "".join(
                "<Part><PartNumber>%d</PartNumber><ETag>%s</ETag></Part>" % (n, xml_escape(e)) for n, e in parts)
            ).encode("utf-8")
            resp, what = self._request("POST", bucket, key, body=body, query=[("uploadId", upload_id)],
                                       payload_sha256=hashlib.sha256(body).hexdigest(), length=len(body))
            self._xml_answer(resp, what)
        except BaseException:
            try:
                resp, what = self._request("DELETE", bucket, key, query=[("uploadId", upload_id)])
                self._finish(resp, what, ok=(200, 204, 404))
            except CheckpointError:
                pass
            raise

    def put_bytes(self, bucket, key, data):
        resp, what = self._request("PUT", bucket, key, body=data, payload_sha256=hashlib.sha256(data).hexdigest(),
                                   length=len(data))
        self._finish(resp, what)

    def _finish(self, resp, what, ok=(200, 204)):
        if resp.status not in ok:
            self._fail(resp, what)
        resp.read()
        resp._mlcost_conn.close()

    def get(self, bucket, key, sink=None):
        """Downloads key. With sink (a writable file) streams into it and returns (size, sha256);
        without, returns the bytes. Returns None when the key does not exist."""
        resp, what = self._request("GET", bucket, key)
        if resp.status == 404:
            resp.read()
            resp._mlcost_conn.close()
            return None
        if resp.status != 200:
            self._fail(resp, what)
        try:
            if sink is None:
                return resp.read()
            h, size = hashlib.sha256(), 0
            while True:
                chunk = resp.read(CHUNK)
                if not chunk:
                    return size, h.hexdigest()
                h.update(chunk)
                sink.write(chunk)
                size += len(chunk)
        except OSError as e:
            raise CheckpointError("%s: %s" % (what, e)) from None
        finally:
            resp._mlcost_conn.close()

    def delete(self, bucket, key):
        resp, what = self._request("DELETE", bucket, key)
        self._finish(resp, what, ok=(200, 204, 404))

    def list(self, bucket, prefix, delimiter=None):
        """Yields ("key", key, size) and, with a delimiter, ("prefix", common_prefix, None)."""
        token = None
        while True:
            query = [("list-type", "2"), ("prefix", prefix)]
            if delimiter:
                query.append(("delimiter", delimiter))
            if token:
                query.append(("continuation-token", token))
            resp, what = self._request("GET", bucket, "", query=query)
            if resp.status != 200:
                self._fail(resp, what)
            raw = resp.read()
            resp._mlcost_conn.close()
            root = ET.fromstring(raw)
            token = None
            truncated = False
            for child in root:
                tag = _strip_ns(child.tag)
                fields = {_strip_ns(c.tag): (c.text or "") for c in child}
                if tag == "Contents":
                    yield "key", fields.get("Key", ""), int(fields.get("Size", "0") or 0)
                elif tag == "CommonPrefixes":
                    yield "prefix", fields.get("Prefix", ""), None
                elif tag == "NextContinuationToken":
                    token = child.text
                elif tag == "IsTruncated":
                    truncated = (child.text or "").strip() == "true"
            if not truncated or not token:
                return
